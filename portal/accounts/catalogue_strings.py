"""The strings of django-allauth and Django that residents read on the account pages, listed so
that `makemessages` keeps them in the portal's own catalogues.

allauth has no Welsh catalogue, and Django's Welsh one lacks the password checks ("Your password
can't be too similar..."), so without these the Welsh sign-in, sign-up and account pages would be
mostly English. Listing a string here with exactly the msgid (and msgctxt) that allauth or Django
uses puts it in `locale/<code>/LC_MESSAGES/django.po`; the portal's catalogue comes first
(`LOCALE_PATHS`), so its translation is the one shown. Nothing imports this module at run time:
it exists for `makemessages` and for `tests/i18n/test_welsh_account_pages.py`.

Only what is switched on is listed (portal/settings/base.py): sign-in by email address and
password or by an emailed code, sign-up with mandatory email verification, password reset by
link, email address management, password change, reauthentication, and two-step verification
with an authenticator app and recovery codes. allauth's social accounts, phone numbers, security
keys (WebAuthn), passkeys and user sessions are off, and its emails are the portal's own
templates (`portal/templates/account/email/`). After upgrading allauth or Django, check the
msgids against `allauth/locale/en/LC_MESSAGES/django.po` and the templates the portal renders.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

SIGN_IN = (
    gettext_noop("Sign In"),
    gettext_noop("If you have not created an account yet, then please "
                 "%(link)ssign up%(end_link)s first."),
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Password"),
    pgettext_lazy("field label", "Login"),
    gettext_noop("Forgot your password?"),
    gettext_noop("Remember Me"),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Use your password"),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("Invalid login."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("This account is currently inactive."),
    gettext_noop("Account Inactive"),
    gettext_noop("This account is inactive."),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("Note"),
    gettext_noop("You are already logged in as %(user_display)s."),
)

SIGN_IN_BY_CODE = (
    gettext_noop("You will receive a special code for a password-free sign-in."),
    gettext_noop("Request Code"),
    gettext_noop("Other sign-in options"),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("We've sent a code to %(recipient)s. The code expires shortly, so please "
                 "enter it soon."),
    gettext_noop("Request new code"),
    gettext_noop("Code"),
    gettext_noop("Incorrect code."),
    gettext_noop("Confirm"),
    gettext_noop("Cancel"),
)

SIGN_UP = (
    gettext_noop("Signup"),
    gettext_noop("Sign Up"),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Password (again)"),
    gettext_noop("You must type the same password each time."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Sign Up Closed"),
    gettext_noop("We are sorry, but the sign up is currently closed."),
)

# Django's password validators (AUTH_PASSWORD_VALIDATORS): the hints under the password field
# and the errors. "%(verbose_name)s" is the user's field it resembles ("email address").
PASSWORD_RULES = (
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    ngettext_lazy("Your password must contain at least %(min_length)d character.",
                  "Your password must contain at least %(min_length)d characters.",
                  "min_length"),
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.",
                  "min_length"),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("This password is entirely numeric."),
)

EMAIL_VERIFICATION = (
    gettext_noop("Verify Your Email Address"),
    gettext_noop("We have sent an email to you for verification. Follow the link provided to "
                 "finalize the signup process. If you do not see the verification email in "
                 "your main inbox, check your spam folder. Please contact us if you do not "
                 "receive the verification email within a few minutes."),
    gettext_noop("This part of the site requires us to verify that\nyou are who you claim to "
                 "be. For this purpose, we require that you\nverify ownership of your email "
                 "address. "),
    gettext_noop("We have sent an email to you for\nverification. Please click on the link "
                 "inside that email. If you do not see the verification email in your main "
                 "inbox, check your spam folder. Otherwise\ncontact us if you do not receive "
                 "it within a few minutes."),
    gettext_noop('<strong>Note:</strong> you can still <a href="%(email_url)s">change your '
                 'email address</a>.'),
    gettext_noop("Confirm Email Address"),
    gettext_noop('Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email '
                 'address for user %(user_display)s.'),
    gettext_noop("Unable to confirm %(email)s because it is already confirmed by a different "
                 "account."),
    gettext_noop('This email confirmation link expired or is invalid. Please <a '
                 'href="%(email_url)s">issue a new email confirmation request</a>.'),
    gettext_noop("Invalid or expired key."),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Your email verification code is listed below. Please enter it in your open "
                 "browser window."),
)

PASSWORD_RESET = (
    gettext_noop("Password Reset"),
    gettext_noop("Forgotten your password? Enter your email address below, and we'll send you "
                 "an email allowing you to reset it."),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("We have sent you an email. If you have not received it please check your spam "
                 "folder. Otherwise contact us if you do not receive it in a few minutes."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("Bad Token"),
    gettext_noop('The password reset link was invalid, possibly because it has already been '
                 'used.  Please request a <a href="%(passwd_reset_url)s">new password '
                 'reset</a>.'),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("Change Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Your password is now changed."),
)

PASSWORD_CHANGE = (
    gettext_noop("Current Password"),
    gettext_noop("Please type your current password."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Set Password"),
    gettext_noop("Password successfully set."),
)

EMAIL_ADDRESSES = (
    gettext_noop("Email Addresses"),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("Verified"),
    gettext_noop("Unverified"),
    gettext_noop("Primary"),
    gettext_noop("Make Primary"),
    gettext_noop("Re-send Verification"),
    gettext_noop("Remove"),
    gettext_noop("Add Email Address"),
    gettext_noop("Add Email"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Warning:"),
    gettext_noop("You currently do not have any email address set up. You should really add an "
                 "email address so you can receive notifications, reset your password, etc."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("Primary email address set."),
)

SIGN_OUT = (
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("You have signed out."),
)

REAUTHENTICATION = (
    gettext_noop("Confirm Access"),
    gettext_noop("Please reauthenticate to safeguard your account."),
    gettext_noop("Alternative options"),
    gettext_noop("Enter your password:"),
    gettext_noop("Incorrect password."),
    gettext_noop("Use authenticator app or code"),
    gettext_noop("Enter an authenticator code:"),
)

TWO_STEP_VERIFICATION = (
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Your account is protected by two-factor authentication. Please enter an "
                 "authenticator code:"),
    gettext_noop("Authenticator App"),
    gettext_noop("Authentication using an authenticator app is active."),
    gettext_noop("An authenticator app is not active."),
    gettext_noop("Activate"),
    gettext_noop("Deactivate"),
    gettext_noop("Activate Authenticator App"),
    gettext_noop("To protect your account with two-factor authentication, scan the QR code "
                 "below with your authenticator app. Then, input the verification code "
                 "generated by the app below."),
    gettext_noop("Authenticator secret"),
    gettext_noop("You can store this secret and use it to reinstall your authenticator app at "
                 "a later time."),
    gettext_noop("Authenticator code"),
    gettext_noop("Authenticator app activated."),
    gettext_noop("Deactivate Authenticator App"),
    gettext_noop("You are about to deactivate authenticator app based authentication. Are you "
                 "sure?"),
    gettext_noop("Authenticator app deactivated."),
    gettext_noop("You cannot deactivate two-factor authentication."),
    gettext_noop("You cannot activate two-factor authentication until you have verified your "
                 "email address."),
    gettext_noop("You cannot add an email address to an account protected by two-factor "
                 "authentication."),
)

RECOVERY_CODES = (
    gettext_noop("Recovery Codes"),
    ngettext_lazy("There is %(unused_count)s out of %(total_count)s recovery codes available.",
                  "There are %(unused_count)s out of %(total_count)s recovery codes available.",
                  "unused_count"),
    gettext_noop("No recovery codes set up."),
    gettext_noop("View"),
    gettext_noop("Download"),
    gettext_noop("Generate"),
    gettext_noop("Unused codes"),
    gettext_noop("Download codes"),
    gettext_noop("Generate new codes"),
    gettext_noop("I have saved my recovery codes"),
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
    gettext_noop("This action will invalidate your existing codes."),
    gettext_noop("Are you sure?"),
    gettext_noop("A new set of recovery codes has been generated."),
    gettext_noop("Save them  in a secure location now — they won't be shown again."),
    gettext_noop("You cannot generate recovery codes without having two-factor authentication "
                 "enabled."),
)

ALL = (SIGN_IN + SIGN_IN_BY_CODE + SIGN_UP + PASSWORD_RULES + EMAIL_VERIFICATION
       + PASSWORD_RESET + PASSWORD_CHANGE + EMAIL_ADDRESSES + SIGN_OUT + REAUTHENTICATION
       + TWO_STEP_VERIFICATION + RECOVERY_CODES)
