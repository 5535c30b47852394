# settings

## Registro de auditoría (/settings/audit)

settings-audit-kept = Las entradas se guardan { $days } días.
settings-audit-log = Registro de auditoría
settings-audit-intro = Quién cambió qué en este espacio de trabajo, desde dónde y cuándo. Las entradas no se pueden editar ni eliminar; solo se quitan cuando superan el periodo de conservación.
settings-audit-member = Miembro
settings-audit-anyone = Cualquiera
settings-audit-action = Acción
settings-audit-any = Cualquiera
settings-audit-from = Desde
settings-audit-to = Hasta
settings-audit-export-csv = Exportar CSV
settings-audit-entries = Entradas de auditoría
settings-audit-when = Cuándo
settings-audit-who = Quién
settings-audit-what = Qué
settings-audit-details = Detalles
settings-audit-no-entries = Ninguna entrada coincide.
settings-audit-older = Entradas anteriores
settings-audit-retention = Conservación
# "Guardar las entradas durante [30] días"
settings-audit-keep-for = Guardar las entradas durante
settings-audit-days = días
settings-audit-days-kept = Días de conservación
settings-audit-save = Guardar
# Un miembro que actúa con uno de sus tokens de acceso: "Ada (token #12)".
settings-audit-actor-token = { $name } (token #{ $token })
settings-audit-action-sign-in = Inició sesión
settings-audit-action-sign-in-failed = Inicio de sesión fallido
settings-audit-action-sign-out = Cerró sesión
settings-audit-action-password-changed = Contraseña cambiada
settings-audit-action-password-reset = Contraseña restablecida
settings-audit-action-profile-changed = Perfil cambiado
settings-audit-action-member-added = Miembro añadido
settings-audit-action-member-role-changed = Rol cambiado
settings-audit-action-member-removed = Miembro quitado
settings-audit-action-invitation-created = Invitación enviada
settings-audit-action-invitation-revoked = Invitación revocada
settings-audit-action-invitation-accepted = Invitación aceptada
settings-audit-action-token-created = Token de acceso creado
settings-audit-action-token-revoked = Token de acceso revocado
settings-audit-action-settings-changed = Ajustes cambiados
settings-audit-action-secret-rotated = Secreto renovado
settings-audit-action-contacts-exported = Contactos exportados
settings-audit-action-contacts-imported = Contactos importados
settings-audit-action-contacts-merged = Contactos fusionados
settings-audit-action-contact-deleted = Contacto eliminado
settings-audit-action-audit-exported = Registro de auditoría exportado

## Campos de contacto (/settings/contact-fields)

settings-fields-kind-text = Texto
settings-fields-kind-number = Número
settings-fields-kind-boolean = Sí / no
settings-fields-kind-date = Fecha
settings-fields-kind-select = Opción
settings-fields-kind-url = Enlace
settings-fields-added = Campo { $name } añadido.
settings-fields-saved = Campo { $name } guardado.
settings-fields-deleted = { $count ->
    [0] Campo eliminado.
    [one] Campo eliminado con su { $count } valor.
   *[other] Campo eliminado con sus { $count } valores.
}
settings-fields-settings = Ajustes de campos de contacto
settings-fields-title = Campos de contacto
settings-fields-intro = Tus propios campos en cada contacto: los operadores los rellenan en la página del contacto, y el setAttributes del widget puede escribir los que permitas.
settings-fields-new = Nuevo campo
settings-fields-label = Etiqueta
settings-fields-key = Clave
settings-fields-type = Tipo
settings-fields-options = Opciones (una por línea, para una opción a elegir)
settings-fields-widget-writable = Se puede escribir desde el widget
settings-fields-in-prechat = Preguntar en el formulario previo al chat
settings-fields-required-there = Obligatorio ahí
settings-fields-add = Añadir campo
settings-fields-values = Valores
settings-fields-delete-warning = { $count ->
    [0] ¿Eliminar { $name }? Ningún contacto tiene un valor.
    [one] ¿Eliminar { $name } y su { $count } valor?
   *[other] ¿Eliminar { $name } y sus { $count } valores?
}
settings-fields-edit = Editar { $name }
settings-fields-widget = Widget
settings-fields-prechat = Previo al chat
settings-fields-required = Obligatorio
settings-fields-save = Guardar
settings-fields-delete = Eliminar
settings-fields-delete-for-good = Eliminar definitivamente
settings-fields-keep = Conservar

## Departamentos (/settings/departments)

settings-departments-added = Departamento { $name } añadido.
settings-departments-saved = Departamento { $name } guardado.
settings-departments-deleted = { $count ->
    [0] Departamento eliminado.
    [one] Departamento eliminado; { $count } conversación salió de él.
   *[other] Departamento eliminado; { $count } conversaciones salieron de él.
}
settings-departments-settings = Ajustes de departamentos
settings-departments-title = Departamentos
settings-departments-intro = Un departamento que asigna automáticamente da sus conversaciones en espera en En directo, de la más antigua a la más nueva, por turnos, a sus miembros conectados que tengan menos conversaciones abiertas que su capacidad.
settings-departments-loading = Cargando…
settings-departments-own-only = Los operadores solo ven las conversaciones de sus departamentos
settings-departments-own-hint = Si está activado, un operador ve las conversaciones de los departamentos a los que pertenece, las que no tienen departamento y las que tiene asignadas. Los propietarios y administradores ven todas las conversaciones.
settings-departments-own-on = Ahora los operadores solo ven las conversaciones de sus departamentos.
settings-departments-own-off = Ahora los operadores ven todas las conversaciones.
settings-departments-new = Nuevo departamento
settings-departments-list = Departamentos del espacio de trabajo
settings-departments-named = Departamento { $name }
settings-departments-name = Nombre
settings-departments-description = Descripción
settings-departments-in-picker = Los visitantes pueden elegirlo en el chat ("¿En qué necesitas ayuda?")
settings-departments-auto-assign = Asignar automáticamente (por turnos)
settings-departments-capacity = Conversaciones abiertas por miembro
settings-departments-default = Las conversaciones nuevas van aquí
settings-departments-members = Miembros
settings-departments-save = Guardar
settings-departments-add = Añadir departamento
settings-departments-delete = Eliminar
settings-departments-hours-saved = El horario de atención del departamento está guardado.
settings-departments-hours-off = El departamento sigue el horario de atención del espacio de trabajo.
settings-departments-hours-own = Horario de atención propio
settings-departments-hours-form = Horario de atención del departamento
settings-departments-hours-enabled = Horario de atención propio (si no, el del espacio de trabajo)
settings-departments-hours-save = Guardar horario
settings-departments-rules-saved = { $count ->
    [0] Reglas de enrutamiento borradas: las conversaciones nuevas van al departamento elegido o al predeterminado.
    [one] { $count } regla de enrutamiento guardada.
   *[other] { $count } reglas de enrutamiento guardadas.
}
settings-departments-rules = Reglas de enrutamiento
settings-departments-rules-intro = Las conversaciones nuevas van al departamento de la primera regla que coincida; si no, al departamento que eligió el visitante; si no, al departamento predeterminado; si no, a En directo.
settings-departments-rules-add = Añadir una regla
settings-departments-rules-save = Guardar reglas
settings-departments-rule = Regla { $n }
settings-departments-rule-condition = Condición
settings-departments-rule-picked = Departamento elegido
settings-departments-rule-choose = Elige…
settings-departments-rule-value = Valor
settings-departments-rule-department = Departamento
settings-departments-rule-up = Subir la regla { $n }
settings-departments-rule-remove = Quitar la regla { $n }
settings-departments-when-page-url = La dirección de la página contiene
settings-departments-when-language = El idioma del visitante es
settings-departments-when-channel = El canal es
settings-departments-when-prechat = El visitante eligió
settings-departments-when-contact-tag = El contacto tiene la etiqueta

## General (/settings/general)

settings-general-settings = Ajustes generales
settings-general-title = General
settings-general-loading = Cargando…
# El nombre del espacio de trabajo y su dirección (slug).
settings-general-saved = Guardado: { $name } ({ $address }).
settings-general-workspace = Espacio de trabajo
settings-general-name = Nombre
settings-general-address = Dirección
settings-general-logo = Logo (dirección https)
settings-general-language = Idioma
settings-general-time-zone = Zona horaria
settings-general-save = Guardar
settings-general-transferred = Propiedad transferida: ahora eres administrador.
settings-general-ownership = Propiedad
settings-general-transfer = Transferir la propiedad
settings-general-give-to = Dar el espacio de trabajo a
settings-general-new-owner = Nuevo propietario
settings-general-choose-member = Elige un miembro…
settings-general-delete = Eliminar el espacio de trabajo
settings-general-delete-warning = Se eliminan todas las conversaciones, contactos y archivos de este espacio de trabajo, y sus miembros lo pierden. No se puede deshacer.
settings-general-type-name = Escribe el nombre del espacio de trabajo para confirmar
settings-general-name-to-delete = Nombre del espacio de trabajo a eliminar
settings-general-delete-this = Eliminar este espacio de trabajo

## Horario de atención (/settings/hours; también el horario propio de un departamento)

settings-hours-monday = Lunes
settings-hours-tuesday = Martes
settings-hours-wednesday = Miércoles
settings-hours-thursday = Jueves
settings-hours-friday = Viernes
settings-hours-saturday = Sábado
settings-hours-sunday = Domingo
settings-hours-saved = Horario de atención guardado.
settings-hours-off = Siempre abierto: el horario de atención está desactivado.
settings-hours-settings = Ajustes del horario de atención
settings-hours-title = Horario de atención
settings-hours-enabled = Usar horario de atención (si no, siempre abierto)
settings-hours-save = Guardar
settings-hours-time-zone = Zona horaria
settings-hours-holidays = Festivos
settings-hours-add-holiday = Añadir un festivo
# "Solemos responder [en unas horas]"
settings-hours-reply = Solemos responder
settings-hours-reply-time = Tiempo de respuesta esperado
# El intervalo de apertura de un día: "Lunes desde", "Lunes hasta".
settings-hours-day-from = { $weekday } desde
settings-hours-day-to = { $weekday } hasta
settings-hours-day-remove = { $weekday }: quitar el intervalo
settings-hours-day-add = { $weekday }: añadir horas
settings-hours-closed = Cerrado
settings-hours-holiday = Festivo { $n }
settings-hours-holiday-name = Nombre del festivo
settings-hours-holiday-from = Festivo desde
settings-hours-holiday-to = Festivo hasta
settings-hours-yearly = Cada año
settings-hours-remove = Quitar

## Identidad (/settings/identity)

settings-identity-rotated = Nuevo secreto creado: actualiza tus servidores.
settings-identity-required = setUser ahora necesita un hash válido.
settings-identity-not-required = setUser funciona sin hash (sin verificar).
settings-identity-settings = Ajustes de identidad
settings-identity-title = Identidad
# "Tu sitio le dice al widget quién ha iniciado sesión con `Parley.setUser(id, attributes, hash)`.
# Genera `hash` en tu servidor: …"
settings-identity-intro = Tu sitio le dice al widget quién ha iniciado sesión con
settings-identity-make = Genera
settings-identity-on-server = en tu servidor: el HMAC-SHA256 en hexadecimal del id del usuario con este secreto. Nunca pongas el secreto en una página.
settings-identity-secret = Secreto de identidad
settings-identity-rotate = Crear un nuevo secreto
settings-identity-require = Exigir verificación: rechazar setUser sin un hash válido

## Bandeja de entrada (/settings/inbox)

settings-inbox-expiry-saved = { $hours ->
    [0] Guardado: las conversaciones nunca caducan.
   *[other] Guardado: las conversaciones abiertas caducan tras { $hours } h sin mensajes.
}
settings-inbox-settings = Ajustes de la bandeja de entrada
settings-inbox-title = Bandeja de entrada
settings-inbox-loading = Cargando…
settings-inbox-expiry = Caducidad
settings-inbox-expiry-hours = Cerrar como caducada una conversación abierta tras estas horas sin mensajes (0: nunca)
settings-inbox-save = Guardar
settings-inbox-limits-saved = Límites de tamaño de archivo guardados.
settings-inbox-files = Archivos
settings-inbox-limits = Límites de tamaño de archivo
settings-inbox-limits-intro = El archivo más grande que se puede enviar, en MB. El tipo se lee del contenido del archivo, nunca de su nombre.
settings-inbox-images = Imágenes
settings-inbox-video = Vídeo
settings-inbox-audio = Audio y voz
settings-inbox-documents = Documentos
settings-inbox-limits-save = Guardar límites
