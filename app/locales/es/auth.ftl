# auth

# El perfil propio.
profile-title = Tu perfil
profile-form = Perfil
profile-saved = Perfil guardado.
profile-password-changed = { $count ->
    [0] Contraseña cambiada.
    [one] Contraseña cambiada; se cerró { $count } sesión más.
   *[other] Contraseña cambiada; se cerraron { $count } sesiones más.
}
profile-name = Nombre
profile-picture = Foto (dirección https)
profile-picture-address = Dirección de la foto
profile-language = Idioma
profile-language-workspace = El idioma del espacio de trabajo
profile-save = Guardar perfil
profile-password = Contraseña
profile-change-password = Cambiar contraseña
profile-current-password = Contraseña actual
profile-new-password = Nueva contraseña
profile-quick-replies = Respuestas rápidas
profile-quick-replies-link = Tus respuestas rápidas y las compartidas
profile-sessions = Sesiones
profile-sessions-hint = ¿Sesión abierta en un ordenador que ya no usas? Cierra todas las sesiones, también esta.
profile-sign-out-everywhere = Cerrar sesión en todas partes

# Iniciar sesión, la configuración inicial, las invitaciones y el cambio de contraseña.
auth-loading = Cargando…
auth-email = Correo
auth-password = Contraseña
auth-your-name = Tu nombre
auth-sign-in-title = Inicia sesión en Parley
auth-sign-in = Iniciar sesión
auth-forgot = ¿Olvidaste tu contraseña?
auth-setup-title = Configura Parley
auth-setup-intro = Crea tu espacio de trabajo y la cuenta de su propietario.
auth-workspace-name = Nombre del espacio de trabajo
auth-setup-origins = Sitios web que incluyen el widget (un origen por línea)
auth-setup-create = Crear espacio de trabajo
auth-invitation = Invitación
auth-invitation-join = Únete a { $name }
# $name invitó a $email; $role es owner, admin u operator.
auth-invitation-invited-by = { $name } invitó a { $email } como { $role ->
    [owner] propietario
    [admin] administrador
   *[operator] operador
}.
auth-invitation-invited = { $email } está invitado como { $role ->
    [owner] propietario
    [admin] administrador
   *[operator] operador
}.
auth-invitation-your-password = Tu contraseña
auth-invitation-choose-password = Elige una contraseña
auth-invitation-accept = Aceptar la invitación
auth-invitation-not-found = Esta invitación no existe o fue revocada.
auth-forgot-title = Restablece tu contraseña
auth-forgot-intro = Indica la dirección con la que inicias sesión; allí te llegará un enlace para elegir una nueva contraseña.
auth-forgot-send = Enviar el enlace
auth-forgot-sent = Si esa dirección tiene una cuenta, el enlace va de camino (válido durante una hora). Si no llega nada, pide un enlace de restablecimiento a un administrador de tu espacio de trabajo.
auth-back-to-sign-in = Volver a iniciar sesión
auth-reset-title = Elige una nueva contraseña
auth-reset-intro = Para { $email }. Se cerrarán todas tus sesiones en cuanto la cambies.
auth-reset-new-password = Nueva contraseña
auth-reset-save = Guardar la nueva contraseña
auth-reset-not-found = Este enlace no existe.
auth-reset-ask-again = Pedir un enlace nuevo
