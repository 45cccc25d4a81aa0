import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import services
from .forms import DeleteAccountForm
from .middleware import needs_mfa


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {
        "roles": services.roles(request.user),
        "needs_mfa": needs_mfa(request.user),
        "can_use_admin": request.user.has_perm("portal.use_admin"),
    })


@login_required
@require_GET
def download_data(request):
    """Everything the portal holds about the signed-in person, as a JSON file (UK GDPR Art. 15)."""
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"my-neighbourhood-portal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request):
    """Delete the signed-in person's account after they retype their email (UK GDPR Art. 17)."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user,
                                delete_free_text=form.cleaned_data["delete_free_text"])
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("/")
    return render(request, "accounts/delete.html", {"form": form})
