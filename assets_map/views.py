"""Thin views: the public map, list and asset pages, organisations' self-service, open data."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal import spreadsheets
from portal.errors import InputError

from . import membership, moderation, opendata, places, versions
from .forms import (
    AddMemberForm,
    AssetFilterForm,
    AssetForm,
    JoinDecisionForm,
    JoinRequestForm,
    JoinSearchForm,
    OrganisationForm,
    ServiceFormSet,
    photo_formset,
    photo_initial,
)
from .models import WEEKDAYS, Asset, JoinRequest, Organisation, OrganisationMembership
from .photos import max_photos, photo_token, store_photo
from .search import parse_bbox, search_assets

PER_PAGE = 20


def _filters(request):
    data = request.GET.copy() if request.GET else None
    if data and data.get("postcode", "").strip():
        # A typed postcode replaces an earlier "Use my location", so do not carry it on.
        data.pop("lat", None)
        data.pop("lng", None)
    form = AssetFilterForm(data)
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = {name: value for name, value in form.cleaned_data.items() if value}
    return form, filters


def asset_map_page(request, page):
    """The asset map page: filters, a map drawn from the GeoJSON endpoint, and the same list."""
    form, filters = _filters(request)
    results = search_assets(filters).select_related("category", "neighbourhood")
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
        "near_me": filters.get("lat") is not None,
    })


def _detail_context(asset: Asset, version: dict | None = None) -> dict:
    """What the asset page shows: the live asset, or a `version` from
    versions.preview_version (an unsaved copy with its hours, services and photos)."""
    if version is None:
        version = {"asset": asset, "hours": asset.opening_hours.all(),
                   "services": asset.services.select_related("organisation"),
                   "colocated": asset.colocated_organisations.all(),
                   "photos": asset.photos.select_related("image")
                   .prefetch_related("image__renditions")}
    shown = version["asset"]
    hours_by_day = {day: [] for day, _label in WEEKDAYS}
    for period in version["hours"]:
        hours_by_day[period.weekday].append(period)
    return {
        "asset": shown,
        "hours": [(label, hours_by_day[day]) for day, label in WEEKDAYS],
        "has_hours": any(hours_by_day.values()),
        "services": version["services"],
        "colocated": version["colocated"],
        "photos": version["photos"],
        "point": {"lat": shown.latitude, "lng": shown.longitude, "name": shown.name,
                  "hub": shown.is_hub},
    }


def asset_detail(request, page, slug):
    asset = get_object_or_404(
        Asset.objects.published().select_related("category", "organisation", "neighbourhood"),
        slug=slug)
    # The live asset only: an edit waiting for moderation (and its photos) is not shown.
    context = _detail_context(asset)
    context.update({"page": page, "self": page, "base_url": page.get_url(request)})
    return TemplateResponse(request, "assets_map/asset.html", context)


# --- self-service for organisations ----------------------------------------------------------

def _require_member(request, action: str, obj, organisation) -> None:
    """403 unless the person may do `action` (a rule of rules.py that members pass)."""
    if not request.user.has_perm(f"assets_map.{action}", obj):
        raise PermissionDenied(_("Only members of %(name)s can do this.")
                               % {"name": organisation.name})


@login_required
def my_organisations(request):
    memberships = (OrganisationMembership.objects.filter(user=request.user)
                   .select_related("organisation").order_by("organisation__name"))
    return TemplateResponse(request, "assets_map/my_organisations.html", {
        "memberships": memberships,
        "join_requests": JoinRequest.objects.pending().filter(user=request.user)
        .select_related("organisation"),
    })


@login_required
def organisation_search(request):
    """Find an organisation to ask to join, by name or charity/company number."""
    form = JoinSearchForm(request.GET or None)
    results, member_of, asked = None, set(), set()
    if form.is_bound and form.is_valid():
        results = list(membership.find_organisations(form.cleaned_data["q"])[:50])
        member_of = set(request.user.organisation_memberships.values_list("organisation_id",
                                                                           flat=True))
        asked = set(JoinRequest.objects.pending().filter(user=request.user)
                    .values_list("organisation_id", flat=True))
    return TemplateResponse(request, "assets_map/organisation_search.html", {
        "form": form, "results": results, "member_of": member_of, "asked": asked,
    })


@login_required
def join_request_create(request, slug):
    """Ask to join an organisation, with an optional message to its owners."""
    organisation = get_object_or_404(Organisation, slug=slug)
    form = JoinRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            membership.request_to_join(organisation, request.user, form.cleaned_data["message"],
                                       request.build_absolute_uri)
        except InputError as exc:
            form.add_error(None, exc.message)
            status = 400
        else:
            messages.success(request, _("Your request to join %(name)s is sent. Its owners "
                                        "will get an email, and you will get one when they "
                                        "answer.") % {"name": organisation.name})
            return redirect("assets_map:my_organisations")
    elif request.method == "POST":
        status = 400
    return TemplateResponse(request, "assets_map/join_request_form.html", {
        "organisation": organisation, "form": form,
        # The rule itself, without Django's superuser pass: whether someone may ask depends on
        # whether they already belong, which is true of superusers too.
        "can_ask": rules.has_perm("assets_map.request_to_join", request.user, organisation),
        "earlier": organisation.join_requests.pending().filter(user=request.user).first(),
    }, status=status)


@login_required
@require_POST
def join_request_decide(request, slug, pk):
    """An owner approves (choosing a role) or declines (with an optional reason) a request."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("assets_map.decide_join_request", organisation):
        raise PermissionDenied(_("Only the organisation's owners can answer requests to join."))
    join_request = get_object_or_404(organisation.join_requests.select_related("user"), pk=pk)
    form = JoinDecisionForm(request.POST, prefix=f"request-{join_request.pk}")
    approve = "approve" in request.POST
    if approve or "decline" in request.POST:
        if form.is_valid() and approve and not form.cleaned_data["role"]:
            form.add_error("role", _("Choose a role."))
        if form.is_valid():
            try:
                membership.decide_join_request(join_request, request.user, approve,
                                               form.cleaned_data["role"],
                                               form.cleaned_data["reason"])
            except InputError as exc:
                messages.error(request, exc.message)
                return redirect("assets_map:organisation", slug=organisation.slug)
            email = join_request.user.email
            if approve:
                messages.success(request, _("%(email)s is now a member of %(name)s.")
                                 % {"email": email, "name": organisation.name})
            else:
                messages.success(request, _("You declined %(email)s's request. They have been "
                                            "told by email.") % {"email": email})
            return redirect("assets_map:organisation", slug=organisation.slug)
    else:
        form.is_valid()
        form.add_error(None, _("Choose “Approve” or “Decline”."))
    response = organisation_detail(request, slug, decision_forms={join_request.pk: form})
    response.status_code = 400
    return response


@login_required
def organisation_create(request):
    """Register an organisation; the person registering it becomes its owner."""
    if not request.user.has_perm("assets_map.register_organisation"):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = membership.register_organisation(form.save(commit=False),
                                                            request.user)
        except InputError as error:  # e.g. over the daily allowance: nothing saved
            form.add_error(None, error.message)
            return TemplateResponse(request, "assets_map/organisation_form.html",
                                    {"form": form},
                                    status=429 if error.code == "rate_limited" else 400)
        messages.success(request, _("%(name)s is registered. Now add its places and services. "
                                    "An officer checks a new organisation once, before its "
                                    "first place or service is published.")
                         % {"name": organisation.name})
        return redirect("assets_map:organisation", slug=organisation.slug)
    return TemplateResponse(request, "assets_map/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, slug, **kwargs):
    """An organisation's page for its members: its assets, members and requests to join."""
    organisation = get_object_or_404(Organisation, slug=slug)
    _require_member(request, "view_organisation_page", organisation, organisation)
    assets = organisation.assets.select_related("category").order_by("name")
    edits = organisation.assets.edit_states()
    requests = []
    if request.user.has_perm("assets_map.decide_join_request", organisation):
        bound = kwargs.get("decision_forms") or {}
        requests = [
            (join_request, bound.get(join_request.pk)
             or JoinDecisionForm(prefix=f"request-{join_request.pk}"))
            for join_request in organisation.join_requests.pending().select_related("user")
        ]
    return TemplateResponse(request, "assets_map/organisation.html", {
        "organisation": organisation, "assets": assets,
        "members": organisation.memberships.select_related("user").order_by("user__email"),
        "member_form": kwargs.get("member_form") or AddMemberForm(organisation=organisation),
        "pending_ids": edits["pending"], "draft_ids": edits["draft"],
        "join_requests": requests,
        "decision_errors": [form for _request, form in requests if form.errors],
    })


@login_required
@require_POST
def member_add(request, slug):
    """Owners invite editors by email: the same answer whether or not the address has an
    account, so the form tells nobody who has one."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("assets_map.manage_members", organisation):
        raise PermissionDenied(_("Only the organisation's owners can add members."))
    form = AddMemberForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            membership.invite_editor(organisation, form.cleaned_data["email"], request.user,
                                     request.build_absolute_uri)
        except InputError as exc:
            form.add_error("email", exc.message)
    if not form.is_valid():
        response = organisation_detail(request, slug, member_form=form)
        response.status_code = 400
        return response
    messages.success(request, _("We have emailed an invitation to %(email)s. They become an "
                                "editor of %(name)s when they accept it, signing in or "
                                "creating an account with that address.")
                     % {"email": form.cleaned_data["email"], "name": organisation.name})
    return redirect("assets_map:organisation", slug=organisation.slug)


@login_required
def invitation(request, token):
    """An emailed invitation: the invited person, signed in with its address, accepts it."""
    found = membership.invitation_from_token(token)
    status, error = (200 if found else 404), None
    if found is not None and request.method == "POST":
        try:
            organisation = membership.accept_invitation(token, request.user)
        except InputError as exc:
            status, error = 400, exc.message
        else:
            messages.success(request, _("You are now an editor of %(name)s.")
                             % {"name": organisation.name})
            return redirect("assets_map:organisation", slug=organisation.slug)
    return TemplateResponse(request, "assets_map/invitation.html", {
        "organisation": found[0] if found else None, "error": error,
        "other_address": found is not None and request.user.email.lower() != found[1],
    }, status=status)


def _own_asset(request, slug, pk) -> tuple[Organisation, Asset]:
    """The organisation and one of its assets, if the person may change it (else 403);
    an asset reached through another organisation's address is 404."""
    organisation = get_object_or_404(Organisation, slug=slug)
    asset = get_object_or_404(Asset, pk=pk)
    if asset.organisation_id != organisation.pk:
        raise Http404
    asset.organisation = organisation
    _require_member(request, "change_organisation_asset", asset, organisation)
    return organisation, asset


def _store_uploads(request, photos) -> None:
    """Store every valid new photo at once, so a mistake elsewhere on the form does not make
    anyone choose their photos again; the rows then carry signed tokens for them."""
    data = request.POST.copy()
    for form in photos.forms:
        # A good file is kept even if its description is missing: that is fixed next time.
        if form.is_bound and "file" not in form.errors and form.cleaned_data.get("file") \
                and not form.cleaned_data.get("DELETE"):
            image = store_photo(form.cleaned_data["file"], form.cleaned_data.get("alt_text", ""),
                                request.POST.get("name", ""))
            form.image = image
            form.cleaned_data["token"] = photo_token(image.pk)
            data[form.add_prefix("token")] = form.cleaned_data["token"]
    for form in photos.forms:
        form.data = data


def _formset_errors(formset, anchor_of=None) -> list[dict]:
    errors = [{"message": error, "anchor": form[name].auto_id if name in form.fields else ""}
              for form in formset.forms if formset.is_bound
              for name, field_errors in form.errors.items() for error in field_errors]
    if formset.is_bound:
        anchor = anchor_of() if anchor_of else ""
        errors += [{"message": error, "anchor": anchor} for error in formset.non_form_errors()]
    return errors


@login_required
def asset_edit(request, slug, pk=None):
    """Add or edit an asset, then preview it. A published asset's edit is kept as a draft
    version (the live page is unchanged) until it is sent for moderation from the preview."""
    if pk is None:
        organisation = get_object_or_404(Organisation, slug=slug)
        _require_member(request, "add_organisation_asset", organisation, organisation)
        asset = Asset(organisation=organisation)
        current = {"services": [], "photos": []}
        initial = {}
    else:
        organisation, asset = _own_asset(request, slug, pk)
        current, _edit = versions.working_version(asset)
        initial = AssetForm.initial_from(current)
    kept_photos = photo_initial(current.get("photos", []))
    if request.method == "POST":
        form = AssetForm(request.POST)
        formset = ServiceFormSet(request.POST, prefix="services")
        if "photos-TOTAL_FORMS" in request.POST:
            photos = photo_formset(request.POST, request.FILES, initial=kept_photos)
            valid = all([form.is_valid(), formset.is_valid(), photos.is_valid()])
            _store_uploads(request, photos)
        else:  # a form from before galleries existed: keep the photos as they are
            photos = photo_formset(initial=kept_photos)
            valid = all([form.is_valid(), formset.is_valid()])
        if valid:
            service_rows = [f.cleaned_data for f in formset.forms
                            if f.cleaned_data.get("name")]
            data = versions.payload(
                form.cleaned_data, form.cleaned_data["hours"], service_rows,
                photos.photo_rows() if photos.is_bound else current.get("photos", []))
            asset, _submission = versions.save_draft(asset, data, request.user)
            return redirect("assets_map:asset_preview", slug=organisation.slug, pk=asset.pk)
    else:
        form = AssetForm(initial=initial)
        formset = ServiceFormSet(initial=current["services"], prefix="services")
        photos = photo_formset(initial=kept_photos)
    errors = _formset_errors(photos, photos.new_upload_anchor) + _formset_errors(formset)
    return TemplateResponse(request, "assets_map/asset_form.html", {
        "form": form, "formset": formset, "photos": photos, "organisation": organisation,
        "asset": asset, "errors": errors, "max_photos": max_photos(),
    })


@login_required
def asset_preview(request, slug, pk):
    """The asset page as it will look: a new asset's draft, or a published asset's edit
    (which is not live: the public page keeps the published version)."""
    organisation, asset = _own_asset(request, slug, pk)
    edit, can_submit = versions.preview_state(asset)
    if edit is not None:
        context = _detail_context(asset, versions.preview_version(asset, edit.data))
    else:
        context = _detail_context(asset)
    context.update({
        "organisation": organisation, "preview": True, "target": asset, "edit": edit,
        "can_submit": can_submit, "duplicates": moderation.likely_duplicates(asset),
    })
    return TemplateResponse(request, "assets_map/asset_preview.html", context)


@login_required
@require_POST
def asset_submit(request, slug, pk):
    """Send a previewed draft, or a published asset's previewed edit, for moderation."""
    organisation, asset = _own_asset(request, slug, pk)
    try:
        moderation.submit_for_moderation(asset, request.user)
    except InputError as exc:
        messages.error(request, exc.message)
    else:
        if asset.status == Asset.PUBLISHED:
            messages.success(request, _("Your changes to “%(name)s” are waiting for an officer "
                                        "to check them. The published page stays as it is "
                                        "until then.") % {"name": asset.name})
        else:
            messages.success(request, _("“%(name)s” is waiting for an officer to check it.")
                             % {"name": asset.name})
    return redirect("assets_map:organisation", slug=organisation.slug)


@login_required
@require_POST
def asset_verify(request, slug, pk):
    """One click: "these details are still correct"."""
    organisation, asset = _own_asset(request, slug, pk)
    if asset.status == Asset.PUBLISHED:
        moderation.mark_verified(asset, request.user)
        messages.success(request, _("Thank you. “%(name)s” is marked as checked today.")
                         % {"name": asset.name})
    return redirect("assets_map:organisation", slug=organisation.slug)


def verify_link(request, token):
    """The emailed one-click "still correct" link: a page with one button (no sign-in needed,
    the signed token is the permission; GET changes nothing)."""
    asset = moderation.asset_from_token(token)
    if asset is None:
        return TemplateResponse(request, "assets_map/verify_link.html", {"invalid": True},
                                status=404)
    if request.method == "POST":
        moderation.mark_verified(asset, request.user if request.user.is_authenticated else None)
        return TemplateResponse(request, "assets_map/verify_link.html",
                                {"asset": asset, "done": True})
    return TemplateResponse(request, "assets_map/verify_link.html", {"asset": asset})


# --- open data --------------------------------------------------------------------------------

def _api_filters(request):
    problems = opendata.parameter_problems(request.GET, [*AssetFilterForm.base_fields, "bbox"])
    if problems:
        return None, JsonResponse(problems, status=400)
    form = AssetFilterForm(request.GET)
    if not form.is_valid():
        return None, JsonResponse({"errors": {k: [str(e) for e in v]
                                              for k, v in form.errors.items()}}, status=400)
    filters = {name: value for name, value in form.cleaned_data.items() if value}
    if request.GET.get("bbox"):
        try:
            filters["bbox"] = parse_bbox(request.GET["bbox"])
        except InputError as exc:
            return None, JsonResponse({"errors": {"bbox": [str(exc.message)]}}, status=400)
    return filters, None


@require_safe  # read-only open data: GET and HEAD
def assets_geojson(request):
    """Published assets as GeoJSON: cached per normalised filters, ETag and 304 (opendata)."""
    filters, error = _api_filters(request)
    if error:
        return error  # unknown parameters are ignored: the map page passes its own on
    key = opendata.filters_key(filters)  # None for "open now", which changes by the minute
    base, version = places.asset_base_url(), opendata.data_version()
    etag = opendata.geojson_etag(version, base, key) if key else None
    if etag and opendata.etag_matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponseNotModified()
    else:
        body = opendata.geojson_bytes(search_assets(filters), base, key, version)
        response = HttpResponse(body, content_type="application/geo+json")
    if etag:
        response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe  # read-only open data: GET and HEAD
def assets_csv(request):
    filters, error = _api_filters(request)
    if error:
        return error
    response = spreadsheets.csv_response("community-assets.csv",
                                         opendata.csv_rows(search_assets(filters)),
                                         opendata.CSV_HEADER)
    response["Access-Control-Allow-Origin"] = "*"
    return response
