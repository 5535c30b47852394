# contacts

# Lo que un contacto es para el negocio.
contacts-kind-guest = Invitado
contacts-kind-lead = Lead
contacts-kind-customer = Cliente

# Campos, en la lista, la página del contacto y "Guardar contacto".
contacts-name = Nombre
contacts-email = Correo
contacts-phone = Teléfono
contacts-type = Tipo
contacts-labels = Etiquetas
contacts-last-seen = Visto por última vez
contacts-save = Guardar
contacts-loading = Cargando…

# "Guardar contacto" en la cabecera de una conversación.
contacts-profile-link = Perfil
contacts-save-contact = Guardar contacto
contacts-save-labels = Etiquetas del contacto
contacts-save-hint = Un invitado pasa a ser un lead (cliente potencial).
# $kind: guest, lead o customer.
contacts-saved = Contacto guardado: { $name } ({ $kind ->
    [guest] invitado
    [lead] lead
   *[customer] cliente
}).

# La lista de contactos.
contacts-title = Contactos
contacts-search = Buscar contactos
contacts-search-placeholder = Nombre, correo, teléfono o #id
contacts-all-types = Todos los tipos
contacts-label = Etiqueta
contacts-any-label = Cualquier etiqueta
contacts-seen-any-time = Visto en cualquier momento
contacts-seen-today = Visto hoy
contacts-seen-this-week = Visto esta semana
contacts-seen-this-month = Visto este mes
contacts-created = Creado
contacts-created-any-time = Creado en cualquier momento
contacts-created-today = Creado hoy
contacts-created-this-week = Creado esta semana
contacts-created-this-month = Creado este mes
contacts-with-open-conversation = Con una conversación abierta
contacts-segments = Segmentos
contacts-segment-saved = { $count ->
    [one] Segmento { $name } guardado ({ $count } contacto).
   *[other] Segmento { $name } guardado ({ $count } contactos).
}
contacts-segment-deleted = Segmento eliminado.
contacts-segment-delete = Eliminar el segmento { $name }
contacts-segment-name = Nombre del segmento
contacts-segment-placeholder = Guardar este filtro como…
contacts-segment-save = Guardar segmento
contacts-selected-contacts = Contactos seleccionados
contacts-selected = { $count ->
    [one] { $count } seleccionado
   *[other] { $count } seleccionados
}
contacts-label-selected = Etiquetar los seleccionados
contacts-bulk-label = Etiqueta…
contacts-bulk-add = Añadir { $name }
contacts-bulk-remove = Quitar { $name }
contacts-bulk-labelled = { $count ->
    [one] Etiqueta cambiada en { $count } contacto.
   *[other] Etiqueta cambiada en { $count } contactos.
}
contacts-delete-selected = Eliminar los seleccionados
contacts-deleted = { $count ->
    [one] { $count } contacto eliminado.
   *[other] { $count } contactos eliminados.
}
contacts-export-csv = Exportar CSV
contacts-count = { $count ->
    [one] { $count } contacto
   *[other] { $count } contactos
}
# Encabezado oculto de columna: la casilla de la fila.
contacts-select = Seleccionar
contacts-select-row = Seleccionar a { $name }
contacts-load-more = Cargar más

# Importar un archivo CSV. $done de $total filas; $created nuevas, $updated actualizadas, $failed descartadas.
contacts-import-csv = Importar CSV
contacts-import-match = Emparejar filas por
contacts-import-match-email = correo
contacts-import-match-user-id = id de usuario
contacts-import-file = Archivo CSV
contacts-import = Importar
contacts-import-would = Se importarían { $done } de { $total } filas: { $created } nuevas, { $updated } actualizadas, { $failed } descartadas.
contacts-import-done = Importadas { $done } de { $total } filas: { $created } nuevas, { $updated } actualizadas, { $failed } descartadas.
contacts-import-running = Importando { $done } de { $total } filas: { $created } nuevas, { $updated } actualizadas, { $failed } descartadas.
contacts-import-problems = Filas descartadas
contacts-import-line = Línea
contacts-import-column = Columna
contacts-import-why = Motivo
contacts-import-not-sent = No se pudo enviar el archivo; revisa la conexión e inténtalo de nuevo.
contacts-import-pick-first = Elige primero un archivo CSV.

# La página de un contacto.
contacts-contact = Contacto
contacts-back = ← Contactos
contacts-profile = Perfil
contacts-profile-saved = { $name } guardado.
contacts-timezone = Zona horaria
contacts-language = Idioma
contacts-external-id = Id de usuario en tu sitio:
contacts-verified = (verificado)
contacts-not-verified = (sin verificar)
# $first, $last: un día y una hora.
contacts-first-last-seen = Visto por primera vez el { $first } · por última vez el { $last }
# "Firefox en Linux".
contacts-device = { $browser } en { $os }
contacts-yes = Sí
contacts-no = No
# $contact es donde va el enlace (contacts-duplicate-link).
contacts-duplicate = Posiblemente la misma persona que { $contact } (mismo correo).
contacts-duplicate-link = el contacto #{ $id }
contacts-merge = Fusionarlo con este
contacts-merged = Fusionado con { $name }.
contacts-label-remove = Quitar { $name }
contacts-label-add = Añadir etiqueta
contacts-label-add-placeholder = Añadir una etiqueta…
contacts-notes = Notas
contacts-note-new = Nueva nota
contacts-note-placeholder = Una nota para el equipo (@ menciona a un compañero)
contacts-note-add = Añadir nota
contacts-note-delete = Eliminar
contacts-activity = Actividad
contacts-activity-empty = Nada todavía.
contacts-visited = Visitó { $page }
contacts-form-email = Dejó un correo electrónico en el chat
contacts-form-offline = Dejó un mensaje fuera del horario de atención
contacts-form-prechat = Rellenó el formulario previo al chat
contacts-emailed = { $count ->
    [one] Se envió por correo 1 respuesta no vista a { $email }
   *[other] Se enviaron por correo { $count } respuestas no vistas a { $email }
}
contacts-conversations = Conversaciones
contacts-conversations-empty = Aún no hay conversaciones.
# "#12 · abierta": $status es open, snoozed o closed.
contacts-conversation-link = #{ $id } · { $status ->
    [open] abierta
    [snoozed] pospuesta
   *[closed] cerrada
}
