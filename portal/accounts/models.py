from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validators import validate_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: resident, VCS member, officer or councillor (by group)."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # Names are one line of text: no line breaks, control characters or unreadable ones.
    first_name = models.CharField(_("first name"), max_length=150, blank=True,
                                  validators=[validate_name])
    last_name = models.CharField(_("last name"), max_length=150, blank=True,
                                 validators=[validate_name])
    # The language the person last used the site in (set when they sign up and each time
    # they sign in): emails written to them outside their own request, such as an answer to
    # their request to join an organisation, come in it (portal.mail.in_language).
    language = models.CharField(_("language"), max_length=10, blank=True, default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email
