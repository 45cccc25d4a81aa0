"""Thin views: the public map, list and asset pages, organisations' self-service, open data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import AddMemberForm, AssetFilterForm, AssetForm, OrganisationForm, ServiceFormSet
from .models import WEEKDAYS, Asset, Organisation, OrganisationMembership

PER_PAGE = 20


def _filters(request):
    form = AssetFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = {name: value for name, value in form.cleaned_data.items() if value}
    return form, filters


def asset_map_page(request, page):
    """The asset map page: filters, a map drawn from the GeoJSON endpoint, and the same list."""
    form, filters = _filters(request)
    results = services.search_assets(filters).select_related("category", "neighbourhood")
    page_obj = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    base = page.get_url(request)
    return TemplateResponse(request, "assets_map/asset_map_page.html", {
        "page": page, "self": page, "filter_form": form, "page_obj": page_obj,
        "assets": page_obj.object_list, "base_url": base,
        "query_prefix": f"{encoded}&" if encoded else "",
        "geojson_url": reverse("assets_map_api:geojson") + (f"?{encoded}" if encoded else ""),
        "csv_url": reverse("assets_map_api:csv") + (f"?{encoded}" if encoded else ""),
        "searched": bool(filters), "location": filters.get("location"),
    })


def _detail_context(asset: Asset) -> dict:
    hours_by_day = {day: [] for day, _label in WEEKDAYS}
    for period in asset.opening_hours.all():
        hours_by_day[period.weekday].append(period)
    return {
        "asset": asset,
        "hours": [(label, hours_by_day[day]) for day, label in WEEKDAYS],
        "has_hours": any(hours_by_day.values()),
        "services": asset.services.select_related("organisation"),
        "colocated": asset.colocated_organisations.all(),
        "point": {"lat": asset.latitude, "lng": asset.longitude, "name": asset.name,
                  "hub": asset.is_hub},
    }


def asset_detail(request, page, slug):
    asset = get_object_or_404(
        Asset.objects.published().select_related("category", "organisation", "neighbourhood"),
        slug=slug)
    context = _detail_context(asset)
    context.update({"page": page, "self": page, "base_url": page.get_url(request)})
    return TemplateResponse(request, "assets_map/asset.html", context)


# --- self-service for organisations ----------------------------------------------------------

def _membership(request, organisation) -> OrganisationMembership:
    membership = organisation.memberships.filter(user=request.user).first()
    if membership is None:
        raise PermissionDenied(_("Only members of %(name)s can do this.")
                               % {"name": organisation.name})
    return membership


@login_required
def my_organisations(request):
    memberships = (OrganisationMembership.objects.filter(user=request.user)
                   .select_related("organisation").order_by("organisation__name"))
    return TemplateResponse(request, "assets_map/my_organisations.html",
                            {"memberships": memberships})


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            organisation = form.save()
            OrganisationMembership.objects.create(organisation=organisation, user=request.user,
                                                  role=OrganisationMembership.OWNER)
            group = Group.objects.filter(name="VCS organisations").first()
            if group:
                request.user.groups.add(group)
        messages.success(request, _("%(name)s is registered. Now add its places and services.")
                         % {"name": organisation.name})
        return redirect("assets_map:organisation", slug=organisation.slug)
    return TemplateResponse(request, "assets_map/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, slug, **kwargs):
    organisation = get_object_or_404(Organisation, slug=slug)
    membership = _membership(request, organisation)
    assets = organisation.assets.select_related("category").order_by("name")
    return TemplateResponse(request, "assets_map/organisation.html", {
        "organisation": organisation, "membership": membership, "assets": assets,
        "members": organisation.memberships.select_related("user").order_by("user__email"),
        "member_form": kwargs.get("member_form") or AddMemberForm(organisation=organisation),
        "pending_ids": set(organisation.assets.filter(submissions__status="pending",
                                                      submissions__is_new=False)
                           .values_list("id", flat=True)),
    })


@login_required
@require_POST
def member_add(request, slug):
    """Owners add editors (people who already have an account)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if _membership(request, organisation).role != OrganisationMembership.OWNER:
        raise PermissionDenied(_("Only the organisation's owners can add members."))
    form = AddMemberForm(request.POST, organisation=organisation)
    if not form.is_valid():
        response = organisation_detail(request, slug, member_form=form)
        response.status_code = 400
        return response
    OrganisationMembership.objects.create(organisation=organisation,
                                          user=form.cleaned_data["user"],
                                          role=OrganisationMembership.EDITOR)
    messages.success(request, _("%(email)s can now edit %(name)s's places and services.")
                     % {"email": form.cleaned_data["email"], "name": organisation.name})
    return redirect("assets_map:organisation", slug=organisation.slug)


def _own_asset(request, slug, pk) -> tuple[Organisation, Asset]:
    organisation = get_object_or_404(Organisation, slug=slug)
    asset = get_object_or_404(Asset, pk=pk)
    if asset.organisation_id != organisation.pk:
        raise Http404
    _membership(request, organisation)
    return organisation, asset


@login_required
def asset_edit(request, slug, pk=None):
    """Add or edit an asset. A published asset's edit is held for moderation."""
    if pk is None:
        organisation = get_object_or_404(Organisation, slug=slug)
        _membership(request, organisation)
        asset = Asset(organisation=organisation)
        initial = {}
    else:
        organisation, asset = _own_asset(request, slug, pk)
        pending = services.pending_edit(asset)
        initial_data = pending.data if pending else services.snapshot(asset)
        initial = AssetForm.initial_from(initial_data)
    if request.method == "POST":
        form = AssetForm(request.POST, request.FILES)
        formset = ServiceFormSet(request.POST, prefix="services")
        if form.is_valid() and formset.is_valid():
            service_rows = [f.cleaned_data for f in formset.forms
                            if f.cleaned_data.get("name")]
            data = services.payload(form.cleaned_data, form.cleaned_data["hours"], service_rows)
            cleaned = form.cleaned_data
            data["fields"]["photo_id"] = (
                services.store_photo(cleaned["photo"], cleaned["photo_alt"], cleaned["name"])
                if cleaned.get("photo") else initial.get("photo_id"))
            asset, submission = services.save_draft(asset, data, request.user)
            if submission:
                messages.success(request, _("Your changes are waiting for an officer to check "
                                             "them. The published page stays as it is until then."))
                return redirect("assets_map:organisation", slug=organisation.slug)
            return redirect("assets_map:asset_preview", slug=organisation.slug, pk=asset.pk)
    else:
        form = AssetForm(initial=initial)
        service_initial = []
        if pk is not None:
            service_initial = (pending.data if pending else services.snapshot(asset))["services"]
        formset = ServiceFormSet(initial=service_initial, prefix="services")
    errors = [{"message": error, "anchor": f"id_services-{index}-{name}"}
              for index, service_form in enumerate(formset.forms) if formset.is_bound
              for name, field_errors in service_form.errors.items() for error in field_errors]
    return TemplateResponse(request, "assets_map/asset_form.html", {
        "form": form, "formset": formset, "organisation": organisation, "asset": asset,
        "errors": errors,
    })


@login_required
def asset_preview(request, slug, pk):
    organisation, asset = _own_asset(request, slug, pk)
    context = _detail_context(asset)
    context.update({"organisation": organisation, "preview": True,
                    "duplicates": services.likely_duplicates(asset)})
    return TemplateResponse(request, "assets_map/asset_preview.html", context)


@login_required
@require_POST
def asset_submit(request, slug, pk):
    organisation, asset = _own_asset(request, slug, pk)
    if asset.status in (Asset.DRAFT, Asset.REJECTED):
        services.submit_for_moderation(asset, request.user)
        messages.success(request, _("“%(name)s” is waiting for an officer to check it.")
                         % {"name": asset.name})
    return redirect("assets_map:organisation", slug=organisation.slug)


@login_required
@require_POST
def asset_verify(request, slug, pk):
    """One click: "these details are still correct"."""
    organisation, asset = _own_asset(request, slug, pk)
    if asset.status == Asset.PUBLISHED:
        services.mark_verified(asset, request.user)
        messages.success(request, _("Thank you. “%(name)s” is marked as checked today.")
                         % {"name": asset.name})
    return redirect("assets_map:organisation", slug=organisation.slug)


def verify_link(request, token):
    """The emailed one-click "still correct" link: a page with one button (no sign-in needed,
    the signed token is the permission; GET changes nothing)."""
    asset = services.asset_from_token(token)
    if asset is None:
        return TemplateResponse(request, "assets_map/verify_link.html", {"invalid": True},
                                status=404)
    if request.method == "POST":
        services.mark_verified(asset, request.user if request.user.is_authenticated else None)
        return TemplateResponse(request, "assets_map/verify_link.html",
                                {"asset": asset, "done": True})
    return TemplateResponse(request, "assets_map/verify_link.html", {"asset": asset})


# --- open data --------------------------------------------------------------------------------

def _api_filters(request):
    form = AssetFilterForm(request.GET)
    if not form.is_valid():
        return None, JsonResponse({"errors": {k: [str(e) for e in v]
                                              for k, v in form.errors.items()}}, status=400)
    filters = {name: value for name, value in form.cleaned_data.items() if value}
    if request.GET.get("bbox"):
        try:
            west, south, east, north = (float(part) for part in request.GET["bbox"].split(","))
        except ValueError:
            return None, JsonResponse({"errors": {"bbox": [
                _("Give bbox as west,south,east,north in degrees, like "
                  "-0.34,51.52,-0.19,51.61.")]}}, status=400)
        if west > east or south > north:
            return None, JsonResponse({"errors": {"bbox": [
                _("The bounding box's west must be less than east and south less than north.")]
            }}, status=400)
        filters["bbox"] = (west, south, east, north)
    return filters, None


def assets_geojson(request):
    filters, error = _api_filters(request)
    if error:
        return error
    # "Open now" changes by the minute, so it is not cached.
    key = None if filters.get("open_now") else "q:" + request.GET.urlencode()
    body = services.geojson_bytes(services.search_assets(filters),
                                  services.asset_base_url(), cache_key=key)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def assets_csv(request):
    filters, error = _api_filters(request)
    if error:
        return error
    response = HttpResponse(services.csv_export(services.search_assets(filters)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="community-assets.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
