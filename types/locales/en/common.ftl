# Sentences the server says about common (ids err-…): see types/src/phrase.rs.
err-max-chars = At most { $max } characters.
err-logo-https = The logo must be an https:// address.
err-too-many-attempts = Too many attempts. Try again in { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
}.
err-request-too-large = The request is too large ({ $megabytes } MB at most).
err-request-cross-site = Requests must come from Parley's own pages (their Origin is missing or another site).
err-socket-unreadable = Unreadable event.
err-socket-cross-site = Cross-site sockets are not allowed.
err-widget-site-refused = This site is not allowed to embed this chat.
err-widget-unknown-key = Unknown widget key.
err-widget-no-language = The widget does not speak "{ $lang }".
err-widget-link-expired = This link has expired or is not valid. Start a new chat instead.
err-inbox-expiry-too-long = That is too many hours.
err-departments-member-ids = Members are given by their user ids.
err-conversations-bulk-label = Name the label.
err-conversations-bulk-outcome = Closing needs an outcome: resolved or abandoned.
err-conversations-bulk-target = Select conversations or give a filter, not both.
err-socket-name-conversation = Name the conversation.
err-socket-operators-reply = Operators reply through /api/send_reply.
err-socket-operators-read = Operators mark a conversation read through /api/mark_conversation_read.
err-socket-wrong-event = This socket does not take that event.
err-request-body-json = The request body is not the JSON this call takes: { $reason }.
