# admin

## Navegación de ajustes (settings/mod.rs)

admin-nav-label = Ajustes
admin-nav-general = General
admin-nav-widget = Widget
admin-nav-labels = Etiquetas
admin-nav-departments = Departamentos
admin-nav-contact-fields = Campos de contacto
admin-nav-identity = Identidad
admin-nav-lead-forms = Formularios de leads
admin-nav-inbox = Bandeja
admin-nav-hours = Horario de atención
admin-nav-quick-replies = Respuestas rápidas
admin-nav-tokens = Tokens de acceso
admin-nav-team = Equipo
admin-nav-email = Correo
admin-nav-audit = Registro de auditoría

## Compartido por las páginas de ajustes

admin-loading = Cargando…
admin-save = Guardar
admin-delete = Eliminar
admin-keep = Conservar
admin-never = Nunca
# Nombres de los roles, en los selectores y tablas de roles.
admin-role-owner = propietario
admin-role-admin = administrador
admin-role-operator = operador

## Etiquetas (settings/labels.rs)

admin-labels-settings = Ajustes de etiquetas
admin-labels-title = Etiquetas
admin-labels-hint = Los operadores ponen etiquetas a las conversaciones desde la cabecera de la conversación.
admin-labels-list = Etiquetas del espacio de trabajo
admin-label-new = Nueva etiqueta
admin-label-name = Nombre
admin-label-colour = Color
admin-label-add = Añadir etiqueta
admin-label-edit = Editar { $name }
admin-label-delete-named = Eliminar { $name }
admin-label-added = Etiqueta { $name } añadida.
admin-label-saved = Etiqueta { $name } guardada.
admin-label-deleted = { $count ->
        [0] Etiqueta eliminada.
        [one] Etiqueta eliminada; se quitó de { $count } conversación.
       *[other] Etiqueta eliminada; se quitó de { $count } conversaciones.
    }

## Invitaciones (settings/invitations.rs)

admin-invitation-revoked = Invitación revocada.
admin-invitation-new-link = Nuevo enlace creado para { $email }.
admin-invite = Invitar
admin-invite-form = Invitar a un miembro
admin-invite-email = Correo
admin-invite-email-to = Correo al que invitar
admin-invite-role = Rol
admin-invite-role-invited = Rol de la invitación
admin-invite-departments = Departamentos
admin-invitation-emailed = Invitación enviada por correo a { $email }. El enlace también funciona si lo copias:
# $error: la respuesta del servidor de correo.
admin-invitation-mail-failed = No se pudo enviar el correo a { $email } ({ $error }). Copia el enlace en su lugar:
admin-invitation-no-mail-server = No hay ningún servidor de correo configurado: envía tú mismo este enlace a { $email }:
admin-invitation-link = Enlace de invitación
admin-invitations-pending = Invitaciones pendientes
admin-invitation-email = Correo
admin-invitation-role = Rol
admin-invitation-invited-by = Invitado por
admin-invitation-expires = Caduca
admin-invitation-sent = Enviada
admin-invitation-expired = Caducada
admin-invitation-link-only = Solo enlace
admin-invitation-resend = Reenviar
admin-invitation-revoke = Revocar

## Equipo (settings/team.rs)

admin-team-settings = Ajustes del equipo
admin-team-title = Equipo
admin-team-members = Miembros
admin-team-name = Nombre
admin-team-email = Correo
admin-team-role = Rol
admin-team-granted = Concedido
admin-team-joined = Se unió
admin-member-saved-owner = Guardado: { $name } es propietario.
admin-member-saved-admin = Guardado: { $name } es administrador.
admin-member-saved-operator = Guardado: { $name } es operador.
admin-member-removed = { $count ->
        [0] Miembro eliminado.
        [one] Miembro eliminado; { $count } conversación volvió a En directo.
       *[other] Miembro eliminado; { $count } conversaciones volvieron a En directo.
    }
admin-member-leave-warning = ¿Salir de este espacio de trabajo? Pierdes el acceso al instante.
admin-member-remove-warning = ¿Eliminar a { $name }? Se cerrará su sesión al instante y sus conversaciones volverán a En directo.
admin-member-role-of = Rol de { $name }
admin-member-reset-link-for = Enlace para restablecer la contraseña de { $name }
# Tras el nombre del propio miembro en la lista.
admin-member-you = (tú)
admin-member-reset-link = Enlace de restablecimiento
admin-member-leave = Salir
admin-member-remove = Eliminar
admin-member-leave-for-good = Salir definitivamente
admin-member-remove-for-good = Eliminar definitivamente
admin-roles-title = Roles
admin-roles-hint = Los propietarios pueden hacerlo todo, incluido gestionar a otros propietarios y eliminar el espacio de trabajo. Los administradores gestionan todos los ajustes y a todos los miembros salvo a los propietarios. Los operadores hacen el trabajo diario; los administradores pueden concederles las capacidades marcadas como «concedible».
admin-roles-capability = Capacidad
admin-roles-owner = Propietario
admin-roles-admin = Administrador
admin-roles-operator = Operador
admin-roles-grantable = concedible
admin-cap-read-conversations = leer conversaciones
admin-cap-reply-conversations = responder en conversaciones
admin-cap-manage-widget = gestionar el widget
admin-cap-manage-members = gestionar miembros
admin-cap-manage-labels = gestionar etiquetas
admin-cap-manage-shared-quick-replies = gestionar respuestas rápidas compartidas
admin-cap-manage-inbox-settings = gestionar la configuración de la bandeja
admin-cap-manage-departments = gestionar departamentos
admin-cap-manage-shared-views = gestionar vistas compartidas
admin-cap-read-contacts = leer contactos
admin-cap-edit-contacts = editar contactos
admin-cap-manage-contacts = gestionar contactos
admin-cap-chat-as-visitor = chatear como visitante
admin-cap-manage-tokens = gestionar tokens de acceso
admin-cap-read-audit-log = leer el registro de auditoría
admin-cap-manage-knowledge = gestionar la base de conocimiento
admin-cap-manage-workflows = gestionar flujos de trabajo
admin-cap-manage-broadcasts = gestionar difusiones
admin-cap-view-all-analytics = ver todas las analíticas
admin-cap-export-contacts = exportar contactos
admin-cap-own-workspace = gestionar propietarios y eliminar el espacio de trabajo
admin-cap-manage-workspace = gestionar la configuración general del espacio de trabajo

## Tokens de acceso (settings/tokens.rs)

admin-token-lifetime-7-days = 7 días
admin-token-lifetime-30-days = 30 días
admin-token-lifetime-90-days = 90 días
admin-token-lifetime-1-year = 1 año
admin-token-revoked = Token revocado.
admin-tokens-settings = Ajustes de tokens de acceso
admin-tokens-title = Tokens de acceso
# Alrededor del ejemplo de código "Authorization: Bearer pat_…".
admin-tokens-hint-before = Los tokens permiten que tus propios programas llamen a la API de Parley (
admin-tokens-hint-after = ). Un token actúa en tu nombre y nunca más allá de tu rol: si dejas el espacio de trabajo, deja de funcionar.
admin-token-new = Nuevo token
admin-token-name = Nombre
admin-token-name-field = Nombre del token
admin-token-scopes = Permisos
admin-token-expires = Caduca
admin-token-make = Crear token
admin-token-copy-now = Copia este token ahora: no se volverá a mostrar.
admin-tokens-list = Tokens
admin-token-made-by = Creado por
admin-token-made = Creado
admin-token-last-used = Último uso
admin-token-not-yet = Todavía no
admin-token-revoke-warning = ¿Revocar { $name }? Los programas que lo usan dejarán de funcionar al instante.
admin-token-revoke = Revocar
admin-token-revoke-for-good = Revocar definitivamente

## Formularios de leads (settings/lead_forms.rs)

admin-lead-ask-off = No se pregunta
admin-lead-ask-optional = Opcional
admin-lead-ask-required = Obligatorio
admin-lead-saved = Formularios de leads guardados.
admin-lead-settings = Ajustes de formularios de leads
admin-lead-title = Formularios de leads
admin-lead-prechat = Formulario previo al chat
admin-lead-prechat-ask = Preguntar a los visitantes nuevos antes de su primer mensaje
admin-lead-intro = Introducción
admin-lead-name = Nombre
admin-lead-email = Correo
admin-lead-phone = Teléfono
# Antes y después de un enlace a los ajustes "Campos de contacto".
admin-lead-custom-fields-before = Los campos personalizados se añaden al formulario cuando están marcados con «Preguntar en el formulario previo al chat» en
admin-lead-custom-fields-link = Campos de contacto
admin-lead-custom-fields-after = {"."}
admin-lead-consent = Casilla de consentimiento
admin-lead-consent-sentence = Frase de consentimiento
admin-lead-consent-placeholder = Acepto la política de privacidad
admin-lead-consent-link = Enlace de consentimiento
admin-lead-email-capture = Captura de correo
admin-lead-email-capture-ask = Pedir un correo cuando nadie haya respondido
# "en [número] segundos"
admin-lead-within = en
admin-lead-seconds = segundos
admin-lead-seconds-before = Segundos antes de pedir un correo
admin-lead-save = Guardar formularios de leads

## Correo (settings/mail.rs)

admin-mail-saved = Ajustes de correo guardados.
admin-mail-removed = Ajustes de correo eliminados: las invitaciones dan un enlace para copiar.
admin-mail-test-sent = Correo de prueba enviado.
admin-mail-settings = Ajustes de correo
admin-mail-title = Correo
admin-mail-hint = El servidor de correo a través del que Parley envía las invitaciones. Sin él, las invitaciones dan un enlace para copiar.
admin-mail-server = Servidor de correo
admin-mail-host = Servidor
admin-mail-port = Puerto
admin-mail-security = Seguridad
admin-mail-security-none = Ninguna (relé local)
admin-mail-user = Nombre de usuario
admin-mail-password = Contraseña
admin-mail-password-stored = (guardada; déjala vacía para conservarla)
admin-mail-sender = Remitente
admin-mail-test = Correo de prueba
admin-mail-send-test-to = Enviar una prueba a
admin-mail-test-recipient = Destinatario de la prueba
admin-mail-send-test = Enviar correo de prueba

## Widget (settings/widget.rs)

admin-widget-settings = Ajustes del widget
admin-widget-title = Widget
admin-widget-install = Instalación
# Alrededor del código "</body>".
admin-widget-bubble-before = Una burbuja de chat en cada página: pega esto antes de
admin-widget-bubble-after = :
admin-widget-embed-snippet = Fragmento para insertar
admin-widget-copy-snippet = Copiar fragmento
# Alrededor del código "data-parley-chat".
admin-widget-form-chat-before = Un chat de formulario dentro de tu página: el chat ocupa el elemento marcado con
admin-widget-form-chat-after = (dale una altura):
admin-widget-form-chat-snippet = Fragmento del chat de formulario
admin-widget-copy-form-chat-snippet = Copiar fragmento del chat de formulario
# Seguido de la dirección de la página de chat.
admin-widget-landing = Una página de chat propia, para enlazarla desde correos o perfiles sociales:
admin-widget-copy-landing-link = Copiar enlace de la página de chat
admin-widget-copied = Copiado al portapapeles.
admin-widget-copy-refused = El navegador no permitió copiar; selecciona el texto y cópialo.
admin-widget-allowed-sites = Sitios permitidos
admin-widget-allowed-origins = Orígenes permitidos (uno por línea; las páginas de otros sitios no pueden cargar el widget)
admin-widget-save-origins = Guardar orígenes
admin-widget-origins-saved = { $count ->
        [0] Guardado: ningún sitio puede insertar el widget.
        [one] Guardado { $count } origen permitido.
       *[other] Guardados { $count } orígenes permitidos.
    }
admin-widget-saved = Ajustes del widget guardados (versión { $version }); los widgets abiertos ya los muestran.
admin-widget-appearance = Apariencia
# Seguido de un botón "Cargar su versión" y "(se descartan tus cambios aquí)."
admin-widget-newer = Otro administrador guardó ajustes del widget más recientes.
admin-widget-load-theirs = Cargar su versión
admin-widget-edits-dropped = (se descartan tus cambios aquí).
admin-widget-appearance-form = Apariencia del widget
admin-widget-colours = Colores
admin-widget-colour = Color
admin-widget-text-colour = Color del texto
admin-widget-launcher = Lanzador
admin-widget-position = Posición
admin-widget-bottom-right = Abajo a la derecha
admin-widget-bottom-left = Abajo a la izquierda
admin-widget-offset-side = Distancia al lateral (px)
admin-widget-offset-bottom = Distancia a la parte inferior (px)
admin-widget-launcher-text = Texto del lanzador
admin-widget-show-on-phones = Mostrar en móviles
admin-widget-custom-launcher = Usar mi propio botón (el lanzador se oculta; tu botón llama a Parley.open())
admin-widget-panel = Panel
admin-widget-team-name = Nombre del equipo
admin-widget-greeting = Saludo
admin-widget-show-avatars = Mostrar las fotos de los compañeros
admin-widget-reply-time = Tiempo de respuesta esperado
admin-widget-reply-time-hidden = No decir nada
admin-widget-language = Idioma
admin-widget-form-and-landing = Chat de formulario y página de chat
admin-widget-form-background = Fondo del chat de formulario
admin-widget-landing-title = Título de la página de chat
admin-widget-landing-logo = Logotipo de la página de chat (dirección https)
admin-widget-landing-background = Fondo de la página de chat
admin-widget-save-appearance = Guardar apariencia
admin-widget-preview = Vista previa
# Un mensaje de ejemplo de un visitante en la vista previa.
admin-widget-preview-visitor = ¡Hola! ¿Hacéis envíos al extranjero?
admin-widget-contrast-warning = El texto sobre este color se lee mal: contraste { $ratio }:1, por debajo del 4,5:1 que pide WCAG AA.
