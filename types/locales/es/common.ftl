# Sentences the server says about common (ids err-…): see types/src/phrase.rs.
err-max-chars = Como máximo { $max } caracteres.
err-logo-https = El logotipo debe ser una dirección https://.
err-too-many-attempts = Demasiados intentos. Vuelve a intentarlo en { $seconds ->
    [one] 1 segundo
   *[other] { $seconds } segundos
}.
err-request-too-large = La solicitud es demasiado grande ({ $megabytes } MB como máximo).
err-request-cross-site = Las solicitudes deben venir de las propias páginas de Parley (falta su Origin o es otro sitio).
err-socket-unreadable = Evento ilegible.
err-socket-cross-site = No se permiten sockets desde otros sitios.
err-widget-site-refused = Este sitio no tiene permiso para insertar este chat.
err-widget-unknown-key = Clave de widget desconocida.
err-widget-no-language = El widget no habla "{ $lang }".
err-widget-link-expired = Este enlace ha caducado o no es válido. Inicia un chat nuevo.
err-inbox-expiry-too-long = Son demasiadas horas.
err-departments-member-ids = Los miembros se indican por sus ids de usuario.
err-conversations-bulk-label = Indica la etiqueta.
err-conversations-bulk-outcome = Para cerrar hace falta un resultado: resuelta o abandonada.
err-conversations-bulk-target = Selecciona conversaciones o indica un filtro, no ambas cosas.
err-socket-name-conversation = Indica la conversación.
err-socket-operators-reply = Los operadores responden a través de /api/send_reply.
err-socket-operators-read = Los operadores marcan una conversación como leída a través de /api/mark_conversation_read.
err-socket-wrong-event = Este socket no acepta ese evento.
err-request-body-json = El cuerpo de la solicitud no es el JSON que acepta esta llamada: { $reason }.
