# conversations

## The conversation header's actions (actions.rs).

conv-closed-toast = Conversation closed.
conv-take = Take
conv-assignee = Assignee
conv-unassigned = Unassigned
# A teammate in the assignee menu, with their availability.
conv-teammate-away = { $name } (away)
conv-teammate-offline = { $name } (offline)
conv-department = Department
conv-no-department = No department
conv-mark-normal = Mark normal
conv-mark-critical = Mark critical
conv-reopen = Reopen
conv-snooze = Snooze
conv-snooze-until = Snooze until
conv-snooze-hour = 1 hour
conv-snooze-tomorrow = Tomorrow 9:00
conv-snooze-until-customer = Until the customer writes
# Followed by a date and time box.
conv-until = Until
conv-snooze-until-time = Snooze until a time
conv-choose-time-first = Choose a date and time first.
conv-snooze-until-then = Snooze until then
conv-close = Close
conv-close-form = Close the conversation
conv-outcome = Outcome
conv-close-resolved = Resolved
conv-close-abandoned = Abandoned
conv-close-comment = Comment (kept as an internal note)
conv-close-conversation = Close conversation

## Bulk actions (bulk.rs).

conv-bulk-changed = { $count ->
    [one] { $count } conversation changed.
   *[other] { $count } conversations changed.
}
# $changed is conv-bulk-changed; $reasons lists "#12: why" parts.
conv-bulk-failed = { $changed } { $failed } failed: { $reasons }
conv-bulk-failed-more = { $changed } { $failed } failed: { $reasons } (and { $more_count } more)
conv-select = Select { $name }
conv-select-all-matching = Select all matching
conv-bulk-actions = Bulk actions
conv-all-matching-selected = All matching selected
conv-selected-count = { $count } selected
conv-bulk-action = Bulk action
conv-choose-action = Choose an action…
conv-assign-to-me = Assign to me
conv-unassign = Unassign
conv-close-as-resolved = Close as resolved
conv-close-as-abandoned = Close as abandoned
conv-snooze-until-customer-writes = Snooze until the customer writes
conv-mark-read = Mark read
conv-add-label-named = Add label { $name }
conv-apply = Apply
conv-clear-selection = Clear selection

## The reply box (composer.rs).

conv-wait-for-uploads = Wait until the files have uploaded.
conv-write = Write
conv-reply = Reply
conv-note = Note
conv-quick-replies = Quick replies
conv-note-placeholder = A note for the team; the visitor never sees it (@ mentions, Enter saves)
conv-reply-placeholder = Write a reply… (Enter sends, Shift+Enter adds a line)
conv-add-note = Add note
conv-send = Send

## One conversation (conversation.rs).

conv-loading = Loading…
conv-conversation = Conversation
conv-messages = Messages
conv-visitor-typing = Visitor is typing…
conv-gone = This conversation moved to a department you are not in: you no longer see it.
conv-status-open = open
conv-status-snoozed = snoozed
conv-status-closed = closed
conv-outcome-resolved = resolved
conv-outcome-abandoned = abandoned
conv-outcome-expired = expired
# A closed conversation's status and how it ended: "closed (resolved)".
conv-status-with-outcome = { $status } ({ $outcome })
# A snoozed conversation's status and when it wakes: "snoozed until 14:03".
conv-status-until = { $status } until { $time }
conv-critical = Critical
conv-status = Status
conv-also-here = Also here
conv-also-here-names = Also here: { $names }
# The last two names of a list: "Ada, Bob and Cy".
conv-names-and = { $names } and { $last }
conv-replying = Replying
conv-replying-names = { $count ->
    [one] { $names } is replying…
   *[other] { $names } are replying…
}
conv-transcript = Transcript
# Followed by the download links.
conv-transcript-label = Transcript:
conv-transcript-text = Text
conv-transcript-with-notes = with notes
conv-author-visitor = Visitor
conv-author-operator = Operator
# A note for the team, by its author.
conv-author-note = Note · { $name }
conv-seen-by-visitor = Seen by the visitor
conv-seen = Seen
conv-arriving = saving…

## Files (files.rs).

conv-voice-message = Voice message
conv-files-to-send = Files to send
conv-uploading = Uploading { $name }
conv-remove-file = Remove { $name }
conv-attach = Attach
conv-attach-files = Attach files
conv-upload-failed = The upload failed; check the connection and try again.
# While recording; $time is minutes:seconds.
conv-stop-and-attach = Stop and attach { $time }
conv-record = Record
conv-no-microphone = The microphone is not available: allow it for Parley to record.
conv-cannot-record = This browser cannot record audio.

## Keyboard shortcuts (keys.rs).

conv-shortcut-move = Next / previous conversation in the list
conv-shortcut-open = Open the conversation
conv-shortcut-reply = Write a reply
conv-shortcut-note = Write a note for the team
conv-shortcut-close = Close
conv-shortcut-snooze = Snooze
conv-shortcut-assign = Assign
conv-shortcut-label = Add a label
conv-shortcut-search = Search
conv-shortcut-leave = Leave a box or menu
conv-shortcut-help = Show these shortcuts
conv-keyboard-shortcuts = Keyboard shortcuts
conv-shortcuts-close = Close
