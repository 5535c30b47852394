# Sentences the server says about team (ids err-…): see types/src/phrase.rs.

## Inicio de sesión, contraseñas y restablecimiento de contraseña (services/src/auth.rs, profile.rs, invitations.rs).
err-auth-email-too-long = Una dirección de correo tiene como máximo { $max } caracteres.
err-auth-email-invalid = Escribe una dirección de correo válida.
err-auth-password-too-short = La contraseña necesita al menos { $min } caracteres.
err-auth-password-too-long = Una contraseña puede tener como máximo { $max } bytes.
err-auth-wrong-credentials = Correo o contraseña incorrectos.
err-auth-not-password-of = Esa no es la contraseña de { $email }.
err-auth-not-current-password = Esa no es tu contraseña actual.
err-auth-reset-email = Indica tu dirección de correo.
err-auth-reset-link-used = Este enlace ya se ha usado: pide uno nuevo.
err-auth-reset-link-expired = Este enlace ha caducado: pide uno nuevo.

## Miembros, invitaciones y el perfil propio (services/src/members.rs, invitations.rs, profile.rs).
err-team-invite-email = Indica la dirección a la que invitar, como ada@example.com.
err-team-department-gone = Uno de los departamentos ya no existe.
err-team-already-member = { $email } ya es miembro.
err-team-already-invited = { $email } ya tiene una invitación pendiente: reenvía esa invitación.
err-team-invitation-used = Esta invitación ya se ha usado: inicia sesión en su lugar.
err-team-invitation-expired = Esta invitación ha caducado: pide una nueva.
err-team-name-required = Hace falta un nombre de 1 a 200 caracteres.
err-team-account-made-elsewhere = La cuenta se acaba de crear desde otro sitio: vuelve a abrir el enlace.
err-team-account-changed = La cuenta cambió mientras tanto; inténtalo de nuevo.
err-team-last-owner-demoted = No se puede degradar al último propietario: haz antes propietario a otro miembro.
err-team-last-owner-removed = No se puede quitar al último propietario: haz antes propietario a otro miembro.
err-team-grant-not-grantable = No se puede conceder "{ $capability }" a los operadores.
err-team-profile-name = Un nombre tiene de 1 a 200 caracteres en una sola línea.
err-team-profile-picture = Una foto es una dirección https:// (o nada, para usar las iniciales).
err-team-profile-language = "{ $value }" no es un idioma que Parley hable.

## Tokens de acceso (services/src/access_tokens.rs).
err-tokens-name = Un nombre tiene de 1 a { $max } caracteres.
err-tokens-scope-unknown = No existe el permiso "{ $value }".
err-tokens-scope-none = Elige al menos un permiso.
err-tokens-lifetime = Un token dura de 1 a { $max } días, o no caduca nunca.

## El registro de auditoría (services/src/audit.rs).
err-audit-date = Escribe la fecha como YYYY-MM-DD.
err-audit-range = El final es anterior al inicio.
err-audit-retention = Conserva las entradas entre { $min } y { $max } días.
err-audit-page-gone = Esa página del registro ya no existe; vuelve a empezar desde las entradas más recientes.
