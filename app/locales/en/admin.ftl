# admin

## Settings navigation (settings/mod.rs)

admin-nav-label = Settings
admin-nav-general = General
admin-nav-widget = Widget
admin-nav-labels = Labels
admin-nav-departments = Departments
admin-nav-contact-fields = Contact fields
admin-nav-identity = Identity
admin-nav-lead-forms = Lead forms
admin-nav-inbox = Inbox
admin-nav-hours = Business hours
admin-nav-quick-replies = Quick replies
admin-nav-tokens = Access tokens
admin-nav-team = Team
admin-nav-email = Email
admin-nav-audit = Audit log

## Shared by the settings pages

admin-loading = Loading…
admin-save = Save
admin-delete = Delete
admin-keep = Keep
admin-never = Never
# Role names as shown in role pickers and tables.
admin-role-owner = owner
admin-role-admin = admin
admin-role-operator = operator

## Labels (settings/labels.rs)

admin-labels-settings = Labels settings
admin-labels-title = Labels
admin-labels-hint = Operators put labels on conversations from the conversation's header.
admin-labels-list = Workspace labels
admin-label-new = New label
admin-label-name = Name
admin-label-colour = Colour
admin-label-add = Add label
admin-label-edit = Edit { $name }
admin-label-delete-named = Delete { $name }
admin-label-added = Label { $name } added.
admin-label-saved = Label { $name } saved.
admin-label-deleted = { $count ->
        [0] Label deleted.
        [one] Label deleted; it came off { $count } conversation.
       *[other] Label deleted; it came off { $count } conversations.
    }

## Invitations (settings/invitations.rs)

admin-invitation-revoked = Invitation revoked.
admin-invitation-new-link = New link made for { $email }.
admin-invite = Invite
admin-invite-form = Invite a member
admin-invite-email = Email
admin-invite-email-to = Email to invite
admin-invite-role = Role
admin-invite-role-invited = Invited role
admin-invite-departments = Departments
admin-invitation-emailed = Invitation emailed to { $email }. The link also works if you copy it:
# $error: the mail server's answer.
admin-invitation-mail-failed = The email to { $email } could not be sent ({ $error }). Copy the link instead:
admin-invitation-no-mail-server = No mail server is set up: send { $email } this link yourself:
admin-invitation-link = Invitation link
admin-invitations-pending = Pending invitations
admin-invitation-email = Email
admin-invitation-role = Role
admin-invitation-invited-by = Invited by
admin-invitation-expires = Expires
admin-invitation-sent = Sent
admin-invitation-expired = Expired
admin-invitation-link-only = Link only
admin-invitation-resend = Resend
admin-invitation-revoke = Revoke

## Team (settings/team.rs)

admin-team-settings = Team settings
admin-team-title = Team
admin-team-members = Members
admin-team-name = Name
admin-team-email = Email
admin-team-role = Role
admin-team-granted = Granted
admin-team-joined = Joined
admin-member-saved-owner = Saved: { $name } is an owner.
admin-member-saved-admin = Saved: { $name } is an admin.
admin-member-saved-operator = Saved: { $name } is an operator.
admin-member-removed = { $count ->
        [0] Member removed.
        [one] Member removed; { $count } conversation went back to Live.
       *[other] Member removed; { $count } conversations went back to Live.
    }
admin-member-leave-warning = Leave this workspace? You lose access at once.
admin-member-remove-warning = Remove { $name }? They are signed out at once and their conversations go back to Live.
admin-member-role-of = Role of { $name }
admin-member-reset-link-for = Password reset link for { $name }
# After the signed-in member's own name in the list.
admin-member-you = (you)
admin-member-reset-link = Reset link
admin-member-leave = Leave
admin-member-remove = Remove
admin-member-leave-for-good = Leave for good
admin-member-remove-for-good = Remove for good
admin-roles-title = Roles
admin-roles-hint = Owners can do everything, including managing owners and deleting the workspace. Admins manage all settings and every member but owners. Operators do the daily work; admins may grant them the capabilities marked “grantable”.
admin-roles-capability = Capability
admin-roles-owner = Owner
admin-roles-admin = Admin
admin-roles-operator = Operator
admin-roles-grantable = grantable
admin-cap-read-conversations = read conversations
admin-cap-reply-conversations = reply in conversations
admin-cap-manage-widget = manage widget
admin-cap-manage-members = manage members
admin-cap-manage-labels = manage labels
admin-cap-manage-shared-quick-replies = manage shared quick replies
admin-cap-manage-inbox-settings = manage inbox settings
admin-cap-manage-departments = manage departments
admin-cap-manage-shared-views = manage shared views
admin-cap-read-contacts = read contacts
admin-cap-edit-contacts = edit contacts
admin-cap-manage-contacts = manage contacts
admin-cap-chat-as-visitor = chat as a visitor
admin-cap-manage-tokens = manage access tokens
admin-cap-read-audit-log = read the audit log
admin-cap-manage-knowledge = manage knowledge
admin-cap-manage-workflows = manage workflows
admin-cap-manage-broadcasts = manage broadcasts
admin-cap-view-all-analytics = view all analytics
admin-cap-export-contacts = export contacts
admin-cap-own-workspace = manage owners and delete the workspace
admin-cap-manage-workspace = manage the workspace's general settings

## Access tokens (settings/tokens.rs)

admin-token-lifetime-7-days = 7 days
admin-token-lifetime-30-days = 30 days
admin-token-lifetime-90-days = 90 days
admin-token-lifetime-1-year = 1 year
admin-token-revoked = Token revoked.
admin-tokens-settings = Access tokens settings
admin-tokens-title = Access tokens
# Around the code sample "Authorization: Bearer pat_…".
admin-tokens-hint-before = Tokens let your own programs call Parley's API (
admin-tokens-hint-after = ). A token acts for you and never beyond your role: if you leave the workspace, it stops working.
admin-token-new = New token
admin-token-name = Name
admin-token-name-field = Token name
admin-token-scopes = Scopes
admin-token-expires = Expires
admin-token-make = Make token
admin-token-copy-now = Copy this token now: it will not be shown again.
admin-tokens-list = Tokens
admin-token-made-by = Made by
admin-token-made = Made
admin-token-last-used = Last used
admin-token-not-yet = Not yet
admin-token-revoke-warning = Revoke { $name }? Programs using it stop working at once.
admin-token-revoke = Revoke
admin-token-revoke-for-good = Revoke for good

## Lead forms (settings/lead_forms.rs)

admin-lead-ask-off = Not asked
admin-lead-ask-optional = Optional
admin-lead-ask-required = Required
admin-lead-saved = Lead forms saved.
admin-lead-settings = Lead forms settings
admin-lead-title = Lead forms
admin-lead-prechat = Pre-chat form
admin-lead-prechat-ask = Ask new visitors before their first message
admin-lead-intro = Introduction
admin-lead-name = Name
admin-lead-email = Email
admin-lead-phone = Phone
# Before and after a link to the "Contact fields" settings.
admin-lead-custom-fields-before = Custom fields join the form when marked “Ask in the pre-chat form” under
admin-lead-custom-fields-link = Contact fields
admin-lead-custom-fields-after = {"."}
admin-lead-consent = Consent checkbox
admin-lead-consent-sentence = Consent sentence
admin-lead-consent-placeholder = I agree to the privacy policy
admin-lead-consent-link = Consent link
admin-lead-email-capture = Email capture
admin-lead-email-capture-ask = Ask for an email when no one has answered
# "within [number] seconds"
admin-lead-within = within
admin-lead-seconds = seconds
admin-lead-seconds-before = Seconds before asking for an email
admin-lead-save = Save lead forms

## Email (settings/mail.rs)

admin-mail-saved = Mail settings saved.
admin-mail-removed = Mail settings removed: invitations give a link to copy.
admin-mail-test-sent = Test email sent.
admin-mail-settings = Email settings
admin-mail-title = Email
admin-mail-hint = The mail server Parley sends invitations through. Without one, invitations give a link to copy.
admin-mail-server = Mail server
admin-mail-host = Host
admin-mail-port = Port
admin-mail-security = Security
admin-mail-security-none = None (local relay)
admin-mail-user = User name
admin-mail-password = Password
admin-mail-password-stored = (stored; leave empty to keep)
admin-mail-sender = Sender
admin-mail-test = Test email
admin-mail-send-test-to = Send a test to
admin-mail-test-recipient = Test recipient
admin-mail-send-test = Send test email

## Widget (settings/widget.rs)

admin-widget-settings = Widget settings
admin-widget-title = Widget
admin-widget-install = Install
# Around the code "</body>".
admin-widget-bubble-before = A chat bubble on every page: paste this before
admin-widget-bubble-after = :
admin-widget-embed-snippet = Embed snippet
admin-widget-copy-snippet = Copy snippet
# Around the code "data-parley-chat".
admin-widget-form-chat-before = A form chat inside your page: the chat fills the element marked
admin-widget-form-chat-after = (give it a height):
admin-widget-form-chat-snippet = Form chat snippet
admin-widget-copy-form-chat-snippet = Copy form chat snippet
# Followed by the landing chat's address.
admin-widget-landing = A chat page of its own, to link to from emails or social profiles:
admin-widget-copy-landing-link = Copy landing chat link
admin-widget-copied = Copied to the clipboard.
admin-widget-copy-refused = The browser did not allow copying; select the text and copy it.
admin-widget-allowed-sites = Allowed sites
admin-widget-allowed-origins = Allowed origins (one per line; pages elsewhere cannot load the widget)
admin-widget-save-origins = Save origins
admin-widget-origins-saved = { $count ->
        [0] Saved: no site may embed the widget.
        [one] Saved { $count } allowed origin.
       *[other] Saved { $count } allowed origins.
    }
admin-widget-saved = Widget settings saved (version { $version }); open widgets show them now.
admin-widget-appearance = Appearance
# Followed by a "Load their version" button and "(your edits here are dropped)."
admin-widget-newer = Another admin saved newer widget settings.
admin-widget-load-theirs = Load their version
admin-widget-edits-dropped = (your edits here are dropped).
admin-widget-appearance-form = Widget appearance
admin-widget-colours = Colours
admin-widget-colour = Colour
admin-widget-text-colour = Text colour
admin-widget-launcher = Launcher
admin-widget-position = Position
admin-widget-bottom-right = Bottom right
admin-widget-bottom-left = Bottom left
admin-widget-offset-side = Distance from the side (px)
admin-widget-offset-bottom = Distance from the bottom (px)
admin-widget-launcher-text = Launcher text
admin-widget-show-on-phones = Show on phones
admin-widget-custom-launcher = Use my own button (the launcher is hidden; your button calls Parley.open())
admin-widget-panel = Panel
admin-widget-team-name = Team name
admin-widget-greeting = Greeting
admin-widget-show-avatars = Show teammates' pictures
admin-widget-reply-time = Expected reply time
admin-widget-reply-time-hidden = Say nothing
admin-widget-language = Language
admin-widget-form-and-landing = Form chat and landing chat
admin-widget-form-background = Form chat background
admin-widget-landing-title = Landing page title
admin-widget-landing-logo = Landing page logo (https address)
admin-widget-landing-background = Landing page background
admin-widget-save-appearance = Save appearance
admin-widget-preview = Preview
# A sample visitor message in the preview.
admin-widget-preview-visitor = Hello! Do you ship abroad?
admin-widget-contrast-warning = Text on this colour is hard to read: contrast { $ratio }:1, below the 4.5:1 that WCAG AA asks for.
