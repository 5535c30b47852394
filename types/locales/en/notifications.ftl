# Push notifications to operators, written by the server in each reader's language (push/mod.rs).
push-wrote = { $name } wrote
push-new-conversation = New conversation: { $name }
push-mentioned = { $name } mentioned you
push-mentioned-someone = Someone mentioned you
push-sent-file = Sent a file
push-open-parley = Open Parley to read it.
