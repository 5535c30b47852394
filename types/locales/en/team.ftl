# Sentences the server says about team (ids err-…): see types/src/phrase.rs.

## Sign-in, passwords and password resets (services/src/auth.rs, profile.rs, invitations.rs).
err-auth-email-too-long = An email address has at most { $max } characters.
err-auth-email-invalid = Enter a valid email address.
err-auth-password-too-short = The password needs at least { $min } characters.
err-auth-password-too-long = A password can have at most { $max } bytes.
err-auth-wrong-credentials = Wrong email or password.
err-auth-not-password-of = That is not the password of { $email }.
err-auth-not-current-password = That is not your current password.
err-auth-reset-email = Give your email address.
err-auth-reset-link-used = This link has been used already: ask for a new one.
err-auth-reset-link-expired = This link has expired: ask for a new one.

## Members, invitations and the own profile (services/src/members.rs, invitations.rs, profile.rs).
err-team-invite-email = Give the address to invite, such as ada@example.com.
err-team-department-gone = One of the departments no longer exists.
err-team-already-member = { $email } is already a member.
err-team-already-invited = { $email } is already invited: resend that invitation.
err-team-invitation-used = This invitation has been used already: sign in instead.
err-team-invitation-expired = This invitation has expired: ask for a new one.
err-team-name-required = A name of 1 to 200 characters is required.
err-team-account-made-elsewhere = The account was just made elsewhere: open the link again.
err-team-account-changed = The account changed meanwhile; try again.
err-team-last-owner-demoted = The last owner cannot be demoted: make another member an owner first.
err-team-last-owner-removed = The last owner cannot be removed: make another member an owner first.
err-team-grant-not-grantable = Operators cannot be granted "{ $capability }".
err-team-profile-name = A name has 1 to 200 characters on one line.
err-team-profile-picture = A picture is an https:// address (or nothing, for initials).
err-team-profile-language = "{ $value }" is not a language Parley speaks.

## Access tokens (services/src/access_tokens.rs).
err-tokens-name = A name has 1 to { $max } characters.
err-tokens-scope-unknown = There is no scope "{ $value }".
err-tokens-scope-none = Choose at least one scope.
err-tokens-lifetime = A token lasts 1 to { $max } days, or never expires.

## The audit log (services/src/audit.rs).
err-audit-date = Give a date as YYYY-MM-DD.
err-audit-range = The end comes before the start.
err-audit-retention = Keep entries between { $min } and { $max } days.
err-audit-page-gone = That page of the log is gone; start again from the newest entries.
