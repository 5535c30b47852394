# auth

# The member's own profile.
profile-title = Your profile
profile-form = Profile
profile-saved = Profile saved.
profile-password-changed = { $count ->
    [0] Password changed.
    [one] Password changed; { $count } other session was signed out.
   *[other] Password changed; { $count } other sessions were signed out.
}
profile-name = Name
profile-picture = Picture (https address)
profile-picture-address = Picture address
profile-language = Language
profile-language-workspace = The workspace's language
profile-save = Save profile
profile-password = Password
profile-change-password = Change password
profile-current-password = Current password
profile-new-password = New password
profile-quick-replies = Quick replies
profile-quick-replies-link = Your quick replies and the shared ones
profile-sessions = Sessions
profile-sessions-hint = Signed in on a computer you no longer use? End every session, this one too.
profile-sign-out-everywhere = Sign out everywhere

# Signing in, the first-run setup, invitations and password resets.
auth-loading = Loading…
auth-email = Email
auth-password = Password
auth-your-name = Your name
auth-sign-in-title = Sign in to Parley
auth-sign-in = Sign in
auth-forgot = Forgot your password?
auth-setup-title = Set up Parley
auth-setup-intro = Create your workspace and its owner account.
auth-workspace-name = Workspace name
auth-setup-origins = Websites that embed the widget (one origin per line)
auth-setup-create = Create workspace
auth-invitation = Invitation
auth-invitation-join = Join { $name }
# $name invited $email; $role is owner, admin or operator.
auth-invitation-invited-by = { $name } invited { $email } as { $role ->
    [owner] owner
    [admin] admin
   *[operator] operator
}.
auth-invitation-invited = { $email } is invited as { $role ->
    [owner] owner
    [admin] admin
   *[operator] operator
}.
auth-invitation-your-password = Your password
auth-invitation-choose-password = Choose a password
auth-invitation-accept = Accept invitation
auth-invitation-not-found = This invitation does not exist or was revoked.
auth-forgot-title = Reset your password
auth-forgot-intro = Give the address you sign in with; a link to choose a new password goes there.
auth-forgot-send = Send the link
auth-forgot-sent = If that address has an account, a link is on its way (valid for an hour). If nothing arrives, ask an admin of your workspace for a reset link.
auth-back-to-sign-in = Back to sign in
auth-reset-title = Choose a new password
auth-reset-intro = For { $email }. You are signed out everywhere once it is changed.
auth-reset-new-password = New password
auth-reset-save = Save the new password
auth-reset-not-found = This link does not exist.
auth-reset-ask-again = Ask for a new link
