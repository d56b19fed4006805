"""Relief pages under /cuu-tro/. Thin: fetch through ansinh.relief.access (AreaScope: 404
outside the area), call a service, show its DomainError beside the field it names. A form's
fields are named as its service's arguments (the service's errors come back under those names),
so a write page passes the cleaned data through: `service(actor=…, **data)`."""

import functools
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ansinh.accounts.models import Role
from ansinh.accounts.roles import can_prepare, can_sign, can_write
from ansinh.accounts.scope import READ_ONLY_MESSAGE, AreaScope
from ansinh.core.errors import DomainError, InvalidInput
from ansinh.registry.models import Household
from ansinh.relief import forms, selectors, services
from ansinh.relief.access import access_affected, access_event, access_request
from ansinh.relief.models import (
    Distribution,
    EventKind,
    Pledge,
    RequestLevel,
    RequestStatus,
    Support,
    SupportStatus,
)
from ansinh.relief.signature import signature_list_pdf
from ansinh.web.downloads import PDF, attachment
from ansinh.web.forms import add_domain_error, button_submit, form_submit


def refuse_read_only(page):
    """A write view refused at once, with the read-only message, for the inspection and audit
    accounts: `page(**kwargs)` is the page to go back to (default: the same address, GET)."""

    def wrap(view):
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            if request.method == "POST" and not can_write(request.user):
                messages.error(request, READ_ONLY_MESSAGE)
                return redirect(page(**kwargs) if page else request.get_full_path())
            return view(request, *args, **kwargs)

        return inner

    return wrap


def _read_only(request) -> dict:
    """For the templates: hide the forms from read-only accounts and say why."""
    return {"read_only": not can_write(request.user), "read_only_message": READ_ONLY_MESSAGE}


def _event_back(event_id, **_):
    return reverse("relief:event_detail", kwargs={"event_id": event_id})


def _affected_back(affected_id, **_):
    return reverse("relief:affected_detail", kwargs={"affected_id": affected_id})


def _communes(user):
    return list(AreaScope.for_user(user).communes().order_by("name"))


# --- events -------------------------------------------------------------------------------------


@login_required
def event_list(request):
    events = list(selectors.event_list_for_user(request.user)[:200])
    is_province = request.user.role == Role.PROVINCIAL_OFFICER
    return render(
        request,
        "relief/event_list.html",
        {
            "events": events,
            "can_prepare": can_prepare(request.user),
            "waiting": selectors.requests_waiting(request.user) if is_province else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuse_read_only(None)
def event_create_view(request):
    communes = _communes(request.user)
    villages = []
    if len(communes) == 1:
        from ansinh.areas.models import Village

        villages = list(
            Village.objects.filter(commune=communes[0]).select_related("commune").order_by("name")
        )
    form = forms.EventForm(request.POST or None, communes=communes, villages=villages)
    done = form_submit(
        request,
        form,
        lambda data: services.event_create(actor=request.user, **data),
        success=lambda event: f"Đã lập đợt “{event.name}”. Ghi nhận các hộ bị ảnh hưởng.",
        redirect_to=_event_url,
    )
    return done or render(
        request,
        "relief/event_form.html",
        {"form": form, **_read_only(request)},
        status=400 if form.errors else 200,
    )


def _event_url(event) -> str:
    return reverse("relief:event_detail", kwargs={"event_id": event.pk})


def _affected_url(affected) -> str:
    return reverse("relief:affected_detail", kwargs={"affected_id": affected.pk})


def _shortfall(means) -> dict:
    """Prefill the request to the province with the first short commune's shortfall (Art. 13)."""
    for commune, m in means:
        if m["rice_short"] or m["cash_short"]:
            return {
                "commune": commune.code,
                "rice_kg": m["rice_short"] or "",
                "cash_amount": m["cash_short"] or "",
            }
    return {}


def _event_page(request, event, *, decide_form=None, request_form=None, status=200):
    user = request.user
    affected = list(selectors.affected_for_event(event, user).prefetch_related("persons"))
    supports = {s.affected_id: s for s in Support.objects.filter(affected__in=affected)}
    times = selectors.household_times(event)
    rows = [(a, supports.get(a.pk), times.get(a.pk)) for a in affected]
    indicator = selectors.helped_in_time_for_event(event, user)
    communes = selectors.event_communes(event, user)
    pending = [s for s in supports.values() if s.status == SupportStatus.PROPOSED]
    means = [(c, selectors.needs_and_means(event, c.code)) for c in communes]
    context = {
        "event": event,
        "rows": rows,
        "indicator": indicator,
        "indicator_total": selectors.total(indicator, events=min(1, len(indicator))),
        "communes": communes,
        "means": means,
        "flows": selectors.event_flows(event, user),
        "requests": selectors.requests_for_event(event, user),
        "can_prepare": can_prepare(user),
        # Households the law gives nothing (no damage) are not waiting for a proposal.
        "unproposed": sum(
            1
            for a in affected
            if a.pk not in supports and getattr(times.get(a.pk), "status", "") != "not_needed"
        ),
        "pending": pending,
        "can_decide": can_sign(user) and any(s.proposed_by_id != user.pk for s in pending),
        "decide_form": decide_form or forms.DecideForm(),
        "request_form": request_form or forms.RequestForm(communes=communes, initial=_shortfall(means)),
    }
    return render(request, "relief/event_detail.html", context, status=status)


@login_required
def event_detail(request, event_id):
    return _event_page(request, access_event(request.user, event_id))


@login_required
@require_POST
@refuse_read_only(_event_back)
def event_propose(request, event_id):
    event = access_event(request.user, event_id)
    return button_submit(
        request,
        lambda: services.support_propose(actor=request.user, event=event),
        success=lambda supports: (
            f"Đã lập đề xuất hỗ trợ cho {len(supports)} hộ theo mức của luật. Chủ tịch UBND xã quyết định."
            if supports
            else "Không có hộ nào cần lập đề xuất: các hộ còn lại không thuộc diện hỗ trợ theo luật."
        ),
        redirect_to=_event_url(event),
    )


def _decide(request, supports, redirect_to: str):
    """The chairman's decision on `supports` from a DecideForm post: (form, the redirect when done,
    else None with the service's message beside its field)."""
    form = forms.DecideForm(request.POST)
    approve = request.POST.get("approve", "1") == "1"

    def decide(data):
        if not supports:
            raise InvalidInput.for_field("decision_number", "Chưa có đề xuất hỗ trợ nào đang chờ quyết định.")
        return services.support_decide(actor=request.user, supports=supports, approve=approve, **data)

    def decided(count):
        if not approve:
            return f"Đã quyết định không hỗ trợ {count} hộ."
        return f"Đã quyết định hỗ trợ {count} hộ (quyết định số {form.cleaned_data['decision_number']})."

    return form, form_submit(request, form, decide, success=decided, redirect_to=redirect_to)


@login_required
@require_POST
@refuse_read_only(_event_back)
def event_decide(request, event_id):
    event = access_event(request.user, event_id)
    pending = Support.objects.filter(event=event, status=SupportStatus.PROPOSED)
    ids = request.POST.getlist("support") or list(
        AreaScope.for_user(request.user).filter(pending).values_list("pk", flat=True)
    )
    form, done = _decide(request, ids, _event_url(event))
    return done or _event_page(request, event, decide_form=form, status=400)


@login_required
@require_POST
@refuse_read_only(_event_back)
def event_request(request, event_id):
    event = access_event(request.user, event_id)
    communes = selectors.event_communes(event, request.user)
    form = forms.RequestForm(request.POST, communes=communes)
    done = form_submit(
        request,
        form,
        lambda data: services.resource_request(
            actor=request.user, event=event, **(data | {"level": data["level"] or RequestLevel.PROVINCE})
        ),
        success="Đã gửi đề nghị hỗ trợ lên tỉnh.",
        redirect_to=_event_url(event),
    )
    return done or _event_page(request, event, request_form=form, status=400)


@login_required
def signature_list(request, event_id):
    """Danh sách ký nhận (PDF) of one commune of the event (?xa=code, else the first in the
    user's area): printed, signed by each household when it receives."""
    event = access_event(request.user, event_id)
    communes = selectors.event_communes(event, request.user)
    code = request.GET.get("xa")
    commune = next((c for c in communes if c.code == code), None) if code else communes[0]
    if commune is None:
        raise Http404("Xã này không thuộc đợt cứu trợ trong địa bàn của bạn.")
    return attachment(
        signature_list_pdf(event, commune), f"danh-sach-ky-nhan_{event.pk}_{commune.code}.pdf", PDF
    )


# --- field registration (works offline through static/relief/field.js) --------------------------


def _field_form(request, event, data=None):
    communes = selectors.event_communes(event, request.user)
    villages = selectors.event_villages(event)
    return forms.FieldEntryForm(
        data, communes=communes, villages=[v for v in villages if v.commune_id in {c.code for c in communes}]
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuse_read_only(None)
def field_entry(request, event_id):
    event = access_event(request.user, event_id)
    if request.method == "POST":
        form = _field_form(request, event, request.POST)
        form.is_valid()
        data = form.cleaned_data
        try:
            affected, created = services.affected_register(
                actor=request.user,
                event=event,
                client_uuid=data["client_uuid"],
                commune=data["commune"],
                village=data["village"] or None,
                household=data["household"] or None,
                head_name=data["head_name"],
                head_personal_id=data["head_personal_id"],
                address=data["address"],
                size=data["size"] or None,
                house_damage=data.get("house_damage") or "none",
                food_shortage=data["food_shortage"],
                persons=forms.persons_from_text(data["injured_names"], data["killed_names"]),
                note=data["note"],
            )
        except DomainError as error:
            add_domain_error(form, error, aliases={"persons": "injured_names"})
            for key in list(error.fields):
                if key.startswith("persons."):
                    form.add_error("injured_names", error.fields[key])
            context = {"event": event, "form": form, **_read_only(request)}
            return render(request, "relief/field_entry.html", context, status=400)
        messages.success(
            request,
            f"Đã ghi nhận hộ {affected.head_name}."
            if created
            else f"Hộ {affected.head_name} đã có, không ghi lần hai.",
        )
        return redirect("relief:field_entry", event_id=event.pk)
    initial = {}
    household_id = request.GET.get("ho")
    if household_id:
        household = (
            AreaScope.for_user(request.user)
            .filter(Household.objects.select_related("head"))
            .filter(pk=services._int_or_none(household_id))
            .first()
        )
        if household is None:
            raise Http404("Không tìm thấy hộ này trong địa bàn của bạn.")
        initial = {
            "household": household.pk,
            "commune": household.commune_id,
            "village": household.village_id or "",
            "head_name": household.head.full_name if household.head else "",
            "head_personal_id": (household.head.personal_id or "") if household.head else "",
            "address": household.address,
            "size": household.members.filter(valid_to__isnull=True).count() or "",
        }
    form = _field_form(request, event)
    # Without JavaScript the form posts itself; its UUID makes a double submit harmless too.
    form.initial.update(initial, client_uuid=str(uuid.uuid4()))
    return render(request, "relief/field_entry.html", {"event": event, "form": form, **_read_only(request)})


@login_required
def household_pick(request, event_id):
    """Registry households of the event's communes, by the head's name or personal ID."""
    event = access_event(request.user, event_id)
    from ansinh.core.text import fold

    query = (request.GET.get("q") or "").strip()
    results = []
    if query:
        communes = [c.code for c in selectors.event_communes(event, request.user)]
        base = (
            AreaScope.for_user(request.user)
            .filter(Household.objects.filter(commune_id__in=communes))
            .select_related("head", "village")
        )
        if query.replace(" ", "").isdigit():
            base = base.filter(head__personal_id__startswith=query.replace(" ", ""))
        else:
            for word in fold(query).split():
                base = base.filter(head__name_folded__contains=word)
        results = list(base.order_by("head__name_folded")[:30])
    context = {"event": event, "query": query, "results": results, **_read_only(request)}
    return render(request, "relief/household_pick.html", context)


@login_required
@require_POST
def sync(request):
    """The phone's queue: {"entries": [{uuid, event, commune, …}]}. Each entry is recorded once
    (by its uuid), answered created / duplicate / error; errors stay in the phone's queue."""
    try:
        payload = json.loads(request.body or b"{}")
        entries = payload["entries"]
        assert isinstance(entries, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        return JsonResponse(
            {
                "code": "invalid_input",
                "message": 'Dữ liệu gửi lên không đúng dạng {"entries": [...]}.',
                "fields": {},
            },
            status=400,
        )
    results = []
    for entry in entries[:200]:
        if not isinstance(entry, dict):
            results.append({"uuid": "", "status": "error", "message": "Phiếu không đúng dạng.", "fields": {}})
            continue
        key = str(entry.get("uuid", ""))
        try:
            event = access_event(request.user, entry.get("event"))
            affected, created = services.affected_register(
                actor=request.user,
                event=event,
                client_uuid=key,
                commune=entry.get("commune"),
                village=entry.get("village") or None,
                household=entry.get("household") or None,
                head_name=entry.get("head_name", ""),
                head_personal_id=entry.get("head_personal_id", ""),
                address=entry.get("address", ""),
                size=entry.get("size"),
                house_damage=entry.get("house_damage") or "none",
                food_shortage=bool(entry.get("food_shortage")),
                persons=entry.get("persons") or [],
                note=entry.get("note", ""),
                recorded_at=entry.get("recorded_at"),
            )
        except Http404:
            results.append(
                {
                    "uuid": key,
                    "status": "error",
                    "message": "Không tìm thấy đợt cứu trợ này trong địa bàn của bạn.",
                    "fields": {"event": "Không tìm thấy."},
                }
            )
        except DomainError as error:
            results.append({"uuid": key, "status": "error", "message": error.message, "fields": error.fields})
        else:
            results.append(
                {
                    "uuid": key,
                    "status": "created" if created else "duplicate",
                    "id": affected.pk,
                    "head_name": affected.head_name,
                }
            )
    return JsonResponse({"results": results})


# --- one affected household ---------------------------------------------------------------------


def _affected_page(request, affected, *, decide_form=None, distribution_form=None, status=200):
    user = request.user
    support = Support.objects.filter(affected=affected).select_related("proposed_by", "decided_by").first()
    items = selectors.items()
    context = {
        "affected": affected,
        "event": affected.event,
        "persons": list(affected.persons.all()),
        "support": support,
        "lines": list(support.lines.select_related("item")) if support else [],
        "distributions": list(Distribution.objects.filter(affected=affected).select_related("item")),
        "time": selectors.household_times(affected.event).get(affected.pk),
        "can_prepare": can_prepare(user),
        "can_decide": support is not None
        and support.status == SupportStatus.PROPOSED
        and can_sign(user)
        and support.proposed_by_id != user.pk,
        "decide_form": decide_form or forms.DecideForm(),
        "distribution_form": distribution_form
        or forms.DistributionForm(items=[i for i in items if i.code not in ("gao", "tien_mat")]),
        "goods_items": [i for i in items if i.code not in ("gao", "tien_mat")],
    }
    return render(request, "relief/affected_detail.html", context, status=status)


@login_required
def affected_detail(request, affected_id):
    return _affected_page(request, access_affected(request.user, affected_id))


@login_required
@require_POST
@refuse_read_only(_affected_back)
def affected_propose(request, affected_id):
    affected = access_affected(request.user, affected_id)
    goods = {
        key[len("goods_") :]: value
        for key, value in request.POST.items()
        if key.startswith("goods_") and value.strip()
    }
    return button_submit(
        request,
        lambda: services.support_propose(
            actor=request.user, event=affected.event, affected_ids=[affected.pk], goods=goods
        ),
        success="Đã lập đề xuất hỗ trợ theo mức của luật. Chủ tịch UBND xã quyết định.",
        redirect_to=_affected_url(affected),
    )


@login_required
@require_POST
@refuse_read_only(_affected_back)
def affected_decide(request, affected_id):
    affected = access_affected(request.user, affected_id)
    form, done = _decide(request, list(Support.objects.filter(affected=affected)), _affected_url(affected))
    return done or _affected_page(request, affected, decide_form=form, status=400)


@login_required
@require_POST
@refuse_read_only(_affected_back)
def affected_distribute(request, affected_id):
    affected = access_affected(request.user, affected_id)
    items = [i for i in selectors.items() if i.code not in ("gao", "tien_mat")]
    form = forms.DistributionForm(request.POST, request.FILES, items=items)
    done = form_submit(
        request,
        form,
        lambda data: services.distribution_record(
            actor=request.user, affected=affected, **(data | {"item": data["item"] or None})
        ),
        success="Đã ghi nhận cấp phát, trừ kho của xã.",
        redirect_to=_affected_url(affected),
    )
    return done or _affected_page(request, affected, distribution_form=form, status=400)


@login_required
def affected_photo(request, affected_id):
    affected = access_affected(request.user, affected_id)
    distribution = (
        Distribution.objects.filter(affected=affected, pk=services._int_or_none(request.GET.get("d")))
        .exclude(photo="")
        .first()
    )
    if distribution is None:
        raise Http404("Không có ảnh.")
    handle = distribution.photo.open("rb")
    kind = services.photo_kind(handle.read(16))
    handle.seek(0)
    if kind is None:  # not an image after all: never served inline from our origin
        return FileResponse(handle, as_attachment=True, content_type="application/octet-stream")
    return FileResponse(handle, content_type=kind[1])


# --- stock, requests, donations, deadlines ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@refuse_read_only(None)
def stock_view(request):
    communes = _communes(request.user)
    items = selectors.items()
    form = forms.StockForm(request.POST or None, communes=communes, items=items)
    done = form_submit(
        request,
        form,
        lambda data: services.stock_receive(actor=request.user, **data),
        success="Đã nhập kho.",
        redirect_to=reverse("relief:stock"),
    )
    if done:
        return done
    context = {
        "form": form,
        "balances": selectors.stock_balances(request.user),
        "can_prepare": can_prepare(request.user),
    }
    return render(request, "relief/stock.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@refuse_read_only(None)
def request_detail(request, request_id):
    resource_request = access_request(request.user, request_id)
    form = forms.RequestDecideForm(
        request.POST or None,
        initial={"granted_rice_kg": resource_request.rice_kg, "granted_cash": resource_request.cash_amount},
    )
    done = form_submit(
        request,
        form,
        lambda data: services.resource_request_decide(actor=request.user, request=resource_request, **data),
        success="Đã trả lời đề nghị; phần được cấp đã nhập kho của xã.",
        redirect_to=reverse("relief:request_detail", kwargs={"request_id": resource_request.pk}),
    )
    if done:
        return done
    can_answer = (
        request.user.role == Role.PROVINCIAL_OFFICER and resource_request.status == RequestStatus.REQUESTED
    )
    return render(
        request,
        "relief/request_detail.html",
        {"req": resource_request, "form": form, "can_answer": can_answer},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuse_read_only(None)
def donations(request, event_id):
    event = access_event(request.user, event_id)
    communes = selectors.event_communes(event, request.user)
    pledges = list(
        AreaScope.for_user(request.user).filter(Pledge.objects.filter(event=event)).select_related("item")
    )
    form = forms.DonationForm(
        request.POST or None, communes=communes, items=selectors.items(), pledges=pledges
    )

    def record(data):
        donor = {key: data[key] for key in ("commune", "donor_name", "donor_kind", "quantity", "note")}
        if data.get("what") == "pledge":
            return services.pledge_record(
                actor=request.user, event=event, item=data["item"], pledged_on=data["on"], **donor
            )
        pledge = next((p for p in pledges if str(p.pk) == data["pledge"]), None)
        return services.donation_receive(
            actor=request.user,
            event=event,
            item=data["item"] or None,
            received_on=data["on"],
            pledge=pledge,
            **donor,
        )

    done = form_submit(
        request,
        form,
        record,
        success="Đã ghi nhận ủng hộ.",
        redirect_to=reverse("relief:donations", kwargs={"event_id": event.pk}),
        aliases={"pledged_on": "on", "received_on": "on"},
    )
    if done:
        return done
    context = {
        "event": event,
        "form": form,
        "report": selectors.donations_report(event, request.user),
        "can_prepare": can_prepare(request.user),
    }
    return render(request, "relief/donations.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@refuse_read_only(None)
def deadlines(request):
    scope = AreaScope.for_user(request.user)
    form = forms.DeadlineForm(request.POST or None)
    may_set = request.user.role == Role.PROVINCIAL_OFFICER and bool(scope.province_code)
    done = form_submit(
        request,
        form,
        lambda data: services.deadline_set(actor=request.user, province_code=scope.province_code, **data),
        success="Đã quy định thời hạn hỗ trợ; áp dụng cho các đợt xảy ra từ ngày đó.",
        redirect_to=reverse("relief:deadlines"),
    )
    if done:
        return done
    from ansinh.relief.models import DeadlineRule

    rules = (
        DeadlineRule.objects.filter(province_id=scope.province_code).order_by("-valid_from")
        if scope.province_code
        else []
    )
    return render(
        request,
        "relief/deadlines.html",
        {"form": form, "rules": rules, "may_set": may_set, "kinds": EventKind},
        status=400 if form.errors else 200,
    )
