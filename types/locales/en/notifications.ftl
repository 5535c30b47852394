# Push notifications to operators, written by the server in each reader's language (push/mod.rs).
push-wrote = { $name } wrote
push-new-conversation = New conversation: { $name }
push-mentioned = { $name } mentioned you
push-mentioned-someone = Someone mentioned you
push-sent-file = Sent a file
push-open-parley = Open Parley to read it.

# The email of replies the visitor has not seen (conversations/continuity.rs), in the
# language of the visitor's widget.
mail-reply-subject = New reply from { $team }
mail-reply-intro = { $team } replied to your conversation:
mail-reply-file = (sent a file)
mail-reply-continue = Continue the conversation: { $link }
mail-reply-link-days = This link works for { $days } days. Reply in the chat, not to this email.
