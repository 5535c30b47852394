# settings

## Audit log (/settings/audit)

settings-audit-kept = Entries are kept { $days } days.
settings-audit-log = Audit log
settings-audit-intro = Who changed what in this workspace, from where and when. Entries cannot be edited or deleted; they are removed only once older than the retention period.
settings-audit-member = Member
settings-audit-anyone = Anyone
settings-audit-action = Action
settings-audit-any = Any
settings-audit-from = From
settings-audit-to = To
settings-audit-export-csv = Export CSV
settings-audit-entries = Audit entries
settings-audit-when = When
settings-audit-who = Who
settings-audit-what = What
settings-audit-details = Details
settings-audit-no-entries = No entries match.
settings-audit-older = Older entries
settings-audit-retention = Retention
# "Keep entries for [30] days"
settings-audit-keep-for = Keep entries for
settings-audit-days = days
settings-audit-days-kept = Days kept
settings-audit-save = Save
# A member acting through one of their access tokens: "Ada (token #12)".
settings-audit-actor-token = { $name } (token #{ $token })
settings-audit-action-sign-in = Signed in
settings-audit-action-sign-in-failed = Sign-in failed
settings-audit-action-sign-out = Signed out
settings-audit-action-password-changed = Password changed
settings-audit-action-password-reset = Password reset
settings-audit-action-profile-changed = Profile changed
settings-audit-action-member-added = Member added
settings-audit-action-member-role-changed = Role changed
settings-audit-action-member-removed = Member removed
settings-audit-action-invitation-created = Invitation sent
settings-audit-action-invitation-revoked = Invitation revoked
settings-audit-action-invitation-accepted = Invitation accepted
settings-audit-action-token-created = Access token created
settings-audit-action-token-revoked = Access token revoked
settings-audit-action-settings-changed = Settings changed
settings-audit-action-secret-rotated = Secret rotated
settings-audit-action-contacts-exported = Contacts exported
settings-audit-action-contacts-imported = Contacts imported
settings-audit-action-contacts-merged = Contacts merged
settings-audit-action-contact-deleted = Contact deleted
settings-audit-action-audit-exported = Audit log exported

## Contact fields (/settings/contact-fields)

settings-fields-kind-text = Text
settings-fields-kind-number = Number
settings-fields-kind-boolean = Yes / no
settings-fields-kind-date = Date
settings-fields-kind-select = Choice
settings-fields-kind-url = Link
settings-fields-added = Field { $name } added.
settings-fields-saved = Field { $name } saved.
settings-fields-deleted = { $count ->
    [0] Field deleted.
    [one] Field deleted with its { $count } value.
   *[other] Field deleted with its { $count } values.
}
settings-fields-settings = Contact fields settings
settings-fields-title = Contact fields
settings-fields-intro = Your own fields on every contact: operators fill them in on the contact's page, the widget's setAttributes may write those you allow.
settings-fields-new = New field
settings-fields-label = Label
settings-fields-key = Key
settings-fields-type = Type
settings-fields-options = Options (one per line, for a choice)
settings-fields-widget-writable = Writable from the widget
settings-fields-in-prechat = Ask in the pre-chat form
settings-fields-required-there = Required there
settings-fields-add = Add field
settings-fields-values = Values
settings-fields-delete-warning = { $count ->
    [0] Delete { $name }? No contact has a value.
    [one] Delete { $name } and its { $count } value?
   *[other] Delete { $name } and its { $count } values?
}
settings-fields-edit = Edit { $name }
settings-fields-widget = Widget
settings-fields-prechat = Pre-chat
settings-fields-required = Required
settings-fields-save = Save
settings-fields-delete = Delete
settings-fields-delete-for-good = Delete for good
settings-fields-keep = Keep

## Departments (/settings/departments)

settings-departments-added = Department { $name } added.
settings-departments-saved = Department { $name } saved.
settings-departments-deleted = { $count ->
    [0] Department deleted.
    [one] Department deleted; { $count } conversation left it.
   *[other] Department deleted; { $count } conversations left it.
}
settings-departments-settings = Departments settings
settings-departments-title = Departments
settings-departments-intro = A department that auto-assigns gives its conversations waiting in Live, oldest first, to its online members who hold fewer open conversations than its capacity, in turn.
settings-departments-loading = Loading…
settings-departments-own-only = Operators see only their departments' conversations
settings-departments-own-hint = When on, an operator sees the conversations of the departments they belong to, those without a department and those assigned to them. Owners and admins see every conversation.
settings-departments-own-on = Operators now see only their departments' conversations.
settings-departments-own-off = Operators now see every conversation.
settings-departments-new = New department
settings-departments-list = Workspace departments
settings-departments-named = Department { $name }
settings-departments-name = Name
settings-departments-description = Description
settings-departments-in-picker = Visitors can pick it in the chat ("What do you need help with?")
settings-departments-auto-assign = Assign automatically (round robin)
settings-departments-capacity = Open conversations per member
settings-departments-default = New conversations go here
settings-departments-members = Members
settings-departments-save = Save
settings-departments-add = Add department
settings-departments-delete = Delete
settings-departments-hours-saved = The department's business hours are saved.
settings-departments-hours-off = The department follows the workspace's business hours.
settings-departments-hours-own = Business hours of its own
settings-departments-hours-form = Department business hours
settings-departments-hours-enabled = Own business hours (otherwise the workspace's)
settings-departments-hours-save = Save hours
settings-departments-rules-saved = { $count ->
    [0] Routing rules cleared: new conversations go to the picked or default department.
    [one] { $count } routing rule saved.
   *[other] { $count } routing rules saved.
}
settings-departments-rules = Routing rules
settings-departments-rules-intro = New conversations go to the department of the first rule that matches; else to the department the visitor picked; else to the default department; else to Live.
settings-departments-rules-add = Add a rule
settings-departments-rules-save = Save rules
settings-departments-rule = Rule { $n }
settings-departments-rule-condition = Condition
settings-departments-rule-picked = Picked department
settings-departments-rule-choose = Choose…
settings-departments-rule-value = Value
settings-departments-rule-department = Department
settings-departments-rule-up = Move rule { $n } up
settings-departments-rule-remove = Remove rule { $n }
settings-departments-when-page-url = Page address contains
settings-departments-when-language = Visitor's language is
settings-departments-when-channel = Channel is
settings-departments-when-prechat = Visitor picked
settings-departments-when-contact-tag = Contact has the label

## General (/settings/general)

settings-general-settings = General settings
settings-general-title = General
settings-general-loading = Loading…
# The workspace's name and its address (slug).
settings-general-saved = Saved: { $name } ({ $address }).
settings-general-workspace = Workspace
settings-general-name = Name
settings-general-address = Address
settings-general-logo = Logo (https address)
settings-general-language = Language
settings-general-time-zone = Time zone
settings-general-save = Save
settings-general-transferred = Ownership transferred: you are an admin now.
settings-general-ownership = Ownership
settings-general-transfer = Transfer ownership
settings-general-give-to = Give the workspace to
settings-general-new-owner = New owner
settings-general-choose-member = Choose a member…
settings-general-delete = Delete the workspace
settings-general-delete-warning = Every conversation, contact and file of this workspace is removed, and its members lose it. This cannot be undone.
settings-general-type-name = Type the workspace's name to confirm
settings-general-name-to-delete = Workspace name to delete
settings-general-delete-this = Delete this workspace

## Business hours (/settings/hours; also a department's own hours)

settings-hours-monday = Monday
settings-hours-tuesday = Tuesday
settings-hours-wednesday = Wednesday
settings-hours-thursday = Thursday
settings-hours-friday = Friday
settings-hours-saturday = Saturday
settings-hours-sunday = Sunday
settings-hours-saved = Business hours saved.
settings-hours-off = Always open: business hours are off.
settings-hours-settings = Business hours settings
settings-hours-title = Business hours
settings-hours-enabled = Use business hours (otherwise always open)
settings-hours-save = Save
settings-hours-time-zone = Time zone
settings-hours-holidays = Holidays
settings-hours-add-holiday = Add a holiday
# "We usually reply [within a few hours]"
settings-hours-reply = We usually reply
settings-hours-reply-time = Expected reply time
# A weekday's opening interval: "Monday from", "Monday to".
settings-hours-day-from = { $weekday } from
settings-hours-day-to = { $weekday } to
settings-hours-day-remove = Remove { $weekday } interval
settings-hours-day-add = Add { $weekday } hours
settings-hours-closed = Closed
settings-hours-holiday = Holiday { $n }
settings-hours-holiday-name = Holiday name
settings-hours-holiday-from = Holiday from
settings-hours-holiday-to = Holiday to
settings-hours-yearly = Every year
settings-hours-remove = Remove

## Identity (/settings/identity)

settings-identity-rotated = New secret made: update your servers.
settings-identity-required = setUser now needs a valid hash.
settings-identity-not-required = setUser works without a hash (unverified).
settings-identity-settings = Identity settings
settings-identity-title = Identity
# "Your site tells the widget who is signed in with `Parley.setUser(id, attributes, hash)`.
# Make `hash` on your server: …"
settings-identity-intro = Your site tells the widget who is signed in with
settings-identity-make = Make
settings-identity-on-server = on your server: the hex HMAC-SHA256 of the user's id under this secret. Never put the secret in a page.
settings-identity-secret = Identity secret
settings-identity-rotate = Make a new secret
settings-identity-require = Require verification: refuse setUser without a valid hash

## Inbox (/settings/inbox)

settings-inbox-expiry-saved = { $hours ->
    [0] Saved: conversations never expire.
   *[other] Saved: open conversations expire after { $hours } h without a message.
}
settings-inbox-settings = Inbox settings
settings-inbox-title = Inbox
settings-inbox-loading = Loading…
settings-inbox-expiry = Expiry
settings-inbox-expiry-hours = Close an open conversation as expired after this many hours without a message (0: never)
settings-inbox-save = Save
settings-inbox-limits-saved = Saved the file size limits.
settings-inbox-files = Files
settings-inbox-limits = File size limits
settings-inbox-limits-intro = Largest file people may send, in MB. The type is read from the file's content, never its name.
settings-inbox-images = Images
settings-inbox-video = Video
settings-inbox-audio = Audio and voice
settings-inbox-documents = Documents
settings-inbox-limits-save = Save limits
