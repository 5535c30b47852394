# inbox

## La lista de conversaciones: vistas, orden, filas.

inbox-conversations = Conversaciones
inbox-loading = Cargando…
inbox-load-more = Cargar más
inbox-views = Vistas
inbox-view-live = En directo
inbox-view-mine = Mías
inbox-view-assigned = Asignadas
inbox-view-snoozed = Pospuestas
inbox-view-archived = Archivadas
inbox-empty-live = No hay nadie esperando. Las conversaciones nuevas aparecen aquí cuando los visitantes escriben.
inbox-empty-mine = No tienes nada asignado.
inbox-empty-assigned = No hay ninguna conversación abierta asignada.
inbox-empty-snoozed = No hay conversaciones pospuestas.
inbox-empty-archived = Todavía no hay conversaciones cerradas.
# El orden de la lista (una etiqueta seguida de un desplegable).
inbox-sort = Ordenar
inbox-sort-latest = Actividad más reciente
inbox-sort-longest-waiting = Más tiempo esperando
inbox-sort-priority = Prioridad
# La vista previa de una fila mientras el visitante escribe.
inbox-typing = escribiendo…
# La vista previa de una fila cuando el último mensaje es una respuesta del equipo.
inbox-preview-reply = Respuesta: { $text }
inbox-critical = Crítica
# La insignia de mensajes sin leer de una fila (su nombre accesible).
inbox-unread-count = { $count } sin leer
inbox-choose-conversation = Elige una conversación.
# El estado de una conversación, en las filas y en el filtro de estado.
inbox-status-open = abierta
inbox-status-snoozed = pospuesta
inbox-status-closed = cerrada

## Búsqueda, filtros y vistas guardadas.

inbox-search-conversations = Buscar conversaciones
inbox-search-placeholder = Busca en mensajes y notas (Ctrl+K)
inbox-search = Buscar
inbox-filters = Filtros
inbox-status-filter = Filtro de estado
inbox-any-status = Cualquier estado
inbox-assignee-filter = Filtro de asignación
inbox-anyone = Cualquiera
inbox-assignee-me = Yo
inbox-assignee-nobody = Nadie
inbox-label-filter = Filtro de etiqueta
inbox-any-label = Cualquier etiqueta
inbox-outcome-filter = Filtro de resultado
inbox-any-outcome = Cualquier resultado
inbox-outcome-resolved = resuelta
inbox-outcome-abandoned = abandonada
inbox-outcome-expired = caducada
inbox-department-filter = Filtro de departamento
inbox-any-department = Cualquier departamento
inbox-channel-filter = Filtro de canal
inbox-any-channel = Cualquier canal
inbox-channel-widget = widget
inbox-contact-type-filter = Filtro de tipo de contacto
inbox-any-contact = Cualquier contacto
inbox-contact-guest = invitado
inbox-contact-lead = lead
inbox-contact-customer = cliente
# "Creadas desde [fecha] hasta [fecha]".
inbox-created-from = Creadas desde
inbox-created-to = hasta
inbox-unread = Sin leer
inbox-saved-views = Vistas guardadas
inbox-shared-with-team = Compartida con el equipo
# Tras el nombre de una vista guardada compartida.
inbox-team-mark = ·equipo
inbox-view-saved = Vista { $name } guardada.
inbox-view-deleted = Vista eliminada.
inbox-search-results = Resultados de la búsqueda
inbox-searching = Buscando…
inbox-found = { $count ->
    [one] { $count } conversación encontrada
   *[other] { $count } conversaciones encontradas
}
inbox-clear = Limpiar
inbox-delete-view = Eliminar vista
inbox-view-name = Nombre de la vista
inbox-name-this-view = Ponle nombre a esta vista
inbox-save-view = Guardar vista
# Antes del texto de una nota encontrada.
inbox-snippet-note = Nota:

## Las etiquetas de una conversación.

inbox-labels = Etiquetas
inbox-remove-label = Quitar la etiqueta { $name }
inbox-add-label = Añadir etiqueta
inbox-add-label-option = + Etiqueta

## Menciones (@) en las notas.

inbox-mention = Mencionar

## Respuestas rápidas: la lista del editor y la página /quick-replies.

inbox-quick-replies = Respuestas rápidas
inbox-quick-no-match = Ninguna respuesta rápida coincide. Escribe una y guárdala.
inbox-save-as-quick-reply = Guardar como respuesta rápida
inbox-quick-title = Título
inbox-quick-shortcut = Atajo
inbox-quick-shortcut-placeholder = atajo
# La etiqueta antes del campo del atajo (el atajo va tras la barra).
inbox-quick-shortcut-slash = Atajo /
inbox-quick-text = Texto
inbox-save = Guardar
inbox-quick-saved-as = Guardada como /{ $shortcut }.
inbox-quick-saved = /{ $shortcut } guardada.
inbox-quick-deleted = Respuesta rápida eliminada.
# Las variables {"{{…}}"} se escriben tal cual en una respuesta rápida.
inbox-quick-hint = Escribe / en una respuesta para usar una. {"{{contact.name}}"} y {"{{member.name}}"} se rellenan al usarla.
inbox-quick-scope = Ámbito
inbox-quick-shared = Compartidas
inbox-quick-personal = Personales
inbox-quick-search = Buscar respuestas rápidas
inbox-quick-new = Nueva respuesta rápida
inbox-quick-save-everyone = Guardar para todos
inbox-quick-save-me = Guardar para mí
inbox-quick-list = Lista de respuestas rápidas
inbox-quick-files = Archivos
inbox-quick-used = Usos
inbox-quick-none = Todavía no hay respuestas rápidas aquí.
inbox-quick-edit-label = Editar /{ $shortcut }
inbox-edit = Editar
inbox-delete = Eliminar
inbox-cancel = Cancelar

## La bandeja del propio miembro (/my-inbox).

inbox-my-inbox = Mi bandeja
inbox-title = Bandeja
inbox-items = Elementos de la bandeja
inbox-items-current = Actuales
inbox-items-archived = Archivados
inbox-nothing-archived = No hay nada archivado.
inbox-nothing-current = Ahora mismo no tienes nada: aquí llegan las menciones y las conversaciones que te asignan.
inbox-mentioned-you-on-contact = { $name } te mencionó en un contacto
inbox-mentioned-you = { $name } te mencionó
inbox-assigned-you = { $name } te asignó una conversación
inbox-mark-unread = Marcar como no leído
inbox-mark-read = Marcar como leído
inbox-move-back = Devolver
inbox-archive = Archivar
