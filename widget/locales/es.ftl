# Las palabras del widget en español. Las mismas claves que en.ftl.

open-chat = Abrir el chat
launcher = Chat
chat = Chat
close-chat = Cerrar el chat
connecting = Conectando…
reconnecting = Reconectando…
not-allowed = El chat no está disponible en este sitio web.
not-found = Este chat no está disponible.
not-connected = Aún no hay conexión; inténtalo de nuevo en un momento.
messages = Mensajes
new-message = Mensaje nuevo
message = Mensaje
write-message = Escribe un mensaje…
send = Enviar
seen = Visto
typing = escribiendo…
unread = { $count ->
    [one] { $count } mensaje sin leer
   *[other] { $count } mensajes sin leer
}
attach = Adjuntar un archivo
uploading = Subiendo
file-failed = No se pudo enviar el archivo; inténtalo de nuevo.
too-long = Este mensaje es demasiado largo (como máximo 10.000 caracteres).
record = Grabar un mensaje de voz
record-stop = Detener y enviar el mensaje de voz
recording = Grabando { $time }
no-microphone = El micrófono no está disponible (permítelo en este sitio para grabar).
before-we-start = Antes de empezar
start-chat = Empezar el chat
leave-message = Deja un mensaje
choose = Elige…
required = Rellena este campo.
consent-needed = Acepta esto para empezar el chat.
form-not-sent = No se pudo enviar el formulario. Inténtalo de nuevo.
your-email = Tu correo electrónico
ask-email = Nadie ha respondido todavía. Deja tu correo y el equipo podrá contactarte allí.
email-thanks = ¡Gracias! El equipo te escribirá a { $email }.
