# Push notifications to operators, written by the server in each reader's language (push/mod.rs).
push-wrote = { $name } escribió
push-new-conversation = Nueva conversación: { $name }
push-mentioned = { $name } te mencionó
push-mentioned-someone = Alguien te mencionó
push-sent-file = Envió un archivo
push-open-parley = Abre Parley para leerlo.

# El correo con las respuestas que el visitante no ha visto (conversations/continuity.rs),
# en el idioma del widget del visitante.
mail-reply-subject = Nueva respuesta de { $team }
mail-reply-intro = { $team } respondió a tu conversación:
mail-reply-file = (envió un archivo)
mail-reply-continue = Continúa la conversación: { $link }
mail-reply-link-days = Este enlace funciona durante { $days } días. Responde en el chat, no a este correo.
