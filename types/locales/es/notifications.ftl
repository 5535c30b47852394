# Push notifications to operators, written by the server in each reader's language (push/mod.rs).
push-wrote = { $name } escribió
push-new-conversation = Nueva conversación: { $name }
push-mentioned = { $name } te mencionó
push-mentioned-someone = Alguien te mencionó
push-sent-file = Envió un archivo
push-open-parley = Abre Parley para leerlo.
