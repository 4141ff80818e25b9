"""Forms for signing in, the authenticator code, and changing or resetting a password."""

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from lehc.auth.passwords import password_problem
from lehc.forms import SafeForm, strip_whitespace


class SignInForm(SafeForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                message="Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message="Enter your password"),
            Length(max=1024, message="Password must be 1024 characters or fewer"),
        ],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(SafeForm):
    current_password = PasswordField(
        "Current password", widget=GovPasswordInput(), validators=[DataRequired(message="Enter your current password")]
    )
    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 12 characters. A few random words make a strong password you can remember.",
        validators=[DataRequired(message="Enter a new password")],
    )
    confirm_password = PasswordField(
        "Confirm the new password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter the new password again")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_current_password(self, field) -> None:
        if not self._user.check_password(field.data or ""):
            raise ValidationError("Your current password is not correct")

    def validate_new_password(self, field) -> None:
        problem = password_problem(field.data or "", email=self._user.email, name=self._user.name)
        if problem:
            raise ValidationError(problem)

    def validate_confirm_password(self, field) -> None:
        if field.data != self.new_password.data:
            raise ValidationError("The passwords do not match")


class CodeForm(SafeForm):
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description="The 6-digit code, or one of your recovery codes",
        validators=[
            DataRequired(message="Enter the code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code or a recovery code"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ForgotPasswordForm(SafeForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                message="Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
        ],
    )
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class ResetPasswordForm(SafeForm):
    new_password = ChangePasswordForm.new_password
    confirm_password = ChangePasswordForm.confirm_password
    submit = SubmitField("Set my new password", widget=GovSubmitInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    validate_new_password = ChangePasswordForm.validate_new_password
    validate_confirm_password = ChangePasswordForm.validate_confirm_password
