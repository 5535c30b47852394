# conversations

## Las acciones de la cabecera de una conversación (actions.rs).

conv-closed-toast = Conversación cerrada.
conv-take = Tomar
conv-assignee = Asignada a
conv-unassigned = Sin asignar
# Un compañero en el menú de asignación, con su disponibilidad.
conv-teammate-away = { $name } (ausente)
conv-teammate-offline = { $name } (desconectado)
conv-department = Departamento
conv-no-department = Sin departamento
conv-mark-normal = Marcar como normal
conv-mark-critical = Marcar como crítica
conv-reopen = Reabrir
conv-snooze = Posponer
conv-snooze-until = Posponer hasta
conv-snooze-hour = 1 hora
conv-snooze-tomorrow = Mañana a las 9:00
conv-snooze-until-customer = Hasta que el cliente escriba
# Seguido de una casilla de fecha y hora.
conv-until = Hasta
conv-snooze-until-time = Posponer hasta una hora concreta
conv-choose-time-first = Elige primero una fecha y una hora.
conv-snooze-until-then = Posponer hasta entonces
conv-close = Cerrar
conv-close-form = Cerrar la conversación
conv-outcome = Resultado
conv-close-resolved = Resuelta
conv-close-abandoned = Abandonada
conv-close-comment = Comentario (se guarda como nota interna)
conv-close-conversation = Cerrar conversación

## Acciones en bloque (bulk.rs).

conv-bulk-changed = { $count ->
    [one] { $count } conversación cambiada.
   *[other] { $count } conversaciones cambiadas.
}
# $changed es conv-bulk-changed; $reasons enumera partes "#12: motivo".
conv-bulk-failed = { $changed } { $failed ->
    [one] { $failed } falló: { $reasons }
   *[other] { $failed } fallaron: { $reasons }
}
conv-bulk-failed-more = { $changed } { $failed ->
    [one] { $failed } falló: { $reasons } (y { $more_count } más)
   *[other] { $failed } fallaron: { $reasons } (y { $more_count } más)
}
conv-select = Seleccionar { $name }
conv-select-all-matching = Seleccionar todas las coincidencias
conv-bulk-actions = Acciones en bloque
conv-all-matching-selected = Todas las coincidencias seleccionadas
conv-selected-count = { $count ->
    [one] { $count } seleccionada
   *[other] { $count } seleccionadas
}
conv-bulk-action = Acción en bloque
conv-choose-action = Elige una acción…
conv-assign-to-me = Asignarme
conv-unassign = Quitar asignación
conv-close-as-resolved = Cerrar como resuelta
conv-close-as-abandoned = Cerrar como abandonada
conv-snooze-until-customer-writes = Posponer hasta que el cliente escriba
conv-mark-read = Marcar como leída
conv-add-label-named = Añadir la etiqueta { $name }
conv-apply = Aplicar
conv-clear-selection = Quitar la selección

## La caja de respuesta (composer.rs).

conv-wait-for-uploads = Espera a que terminen de subirse los archivos.
conv-write = Escribir
conv-reply = Respuesta
conv-note = Nota
conv-quick-replies = Respuestas rápidas
conv-note-placeholder = Una nota para el equipo; el visitante nunca la ve (@ menciona, Intro guarda)
conv-reply-placeholder = Escribe una respuesta… (Intro envía, Mayús+Intro añade una línea)
conv-add-note = Añadir nota
conv-send = Enviar

## Una conversación (conversation.rs).

conv-loading = Cargando…
conv-conversation = Conversación
conv-messages = Mensajes
conv-visitor-typing = El visitante está escribiendo…
conv-gone = Esta conversación pasó a un departamento al que no perteneces: ya no la ves.
conv-status-open = abierta
conv-status-snoozed = pospuesta
conv-status-closed = cerrada
conv-outcome-resolved = resuelta
conv-outcome-abandoned = abandonada
conv-outcome-expired = caducada
# El estado de una conversación cerrada y cómo terminó: "cerrada (resuelta)".
conv-status-with-outcome = { $status } ({ $outcome })
# El estado de una conversación pospuesta y cuándo vuelve: "pospuesta hasta 14:03".
conv-status-until = { $status } hasta las { $time }
conv-critical = Crítica
conv-status = Estado
conv-also-here = También aquí
conv-also-here-names = También aquí: { $names }
# Los dos últimos nombres de una lista: "Ada, Bob y Cy".
conv-names-and = { $names } y { $last }
conv-replying = Respondiendo
conv-replying-names = { $count ->
    [one] { $names } está respondiendo…
   *[other] { $names } están respondiendo…
}
conv-transcript = Transcripción
# Seguido de los enlaces de descarga.
conv-transcript-label = Transcripción:
conv-transcript-text = Texto
conv-transcript-with-notes = con notas
conv-author-visitor = Visitante
conv-author-operator = Operador
# Una nota para el equipo, con su autor.
conv-author-note = Nota · { $name }
conv-seen-by-visitor = Visto por el visitante
conv-seen = Visto
conv-arriving = guardando…

## Archivos (files.rs).

conv-voice-message = Mensaje de voz
conv-files-to-send = Archivos para enviar
conv-uploading = Subiendo { $name }
conv-remove-file = Quitar { $name }
conv-attach = Adjuntar
conv-attach-files = Adjuntar archivos
conv-upload-failed = No se pudo subir el archivo; revisa la conexión y vuelve a intentarlo.
# Mientras se graba; $time son minutos:segundos.
conv-stop-and-attach = Detener y adjuntar { $time }
conv-record = Grabar
conv-no-microphone = El micrófono no está disponible: permite que Parley lo use para grabar.
conv-cannot-record = Este navegador no puede grabar audio.

## Atajos de teclado (keys.rs).

conv-shortcut-move = Conversación siguiente / anterior de la lista
conv-shortcut-open = Abrir la conversación
conv-shortcut-reply = Escribir una respuesta
conv-shortcut-note = Escribir una nota para el equipo
conv-shortcut-close = Cerrar
conv-shortcut-snooze = Posponer
conv-shortcut-assign = Asignar
conv-shortcut-label = Añadir una etiqueta
conv-shortcut-search = Buscar
conv-shortcut-leave = Salir de una casilla o un menú
conv-shortcut-help = Mostrar estos atajos
conv-keyboard-shortcuts = Atajos de teclado
conv-shortcuts-close = Cerrar
