"""Web pages. Thin: read the request, call the access function / selector / service, render.

Every object a page shows by id is fetched through its app's access function (access_person,
access_household, access_decision, access_payroll: AreaScope underneath), so an id from another
commune is a 404 exactly like an id that does not exist.
Rules live in the services; their DomainErrors come back as messages beside the fields.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ansinh.accounts.roles import can_prepare, can_sign, can_write
from ansinh.accounts.scope import READ_ONLY_MESSAGE, AreaScope
from ansinh.assessment.forms import FactsForm
from ansinh.assessment.selectors import registry_facts
from ansinh.assessment.services import (
    FROM_LAW_KINDS,
    assessment_run,
    decision_month,
    decision_prepare_from_assessment,
)
from ansinh.assessment.views import add_facts_error
from ansinh.core.errors import DomainError
from ansinh.core.months import current_month, format_month, parse_month
from ansinh.decisions.access import access_decision
from ansinh.decisions.models import DecisionStatus
from ansinh.decisions.services import decision_sign
from ansinh.jobs.services import job_enqueue
from ansinh.payments.access import access_payroll, check_area
from ansinh.payments.payroll import payroll_run, payroll_validate
from ansinh.plans.services import aggregates_refresh_later
from ansinh.registry.access import access_household, access_person
from ansinh.registry.selectors import (
    address_line,
    person_pick,
    person_search,
    person_with_personal_id,
)
from ansinh.registry.services import (
    LikelyDuplicate,
    household_add_member,
    household_create,
    household_set_poverty,
    person_create,
    person_update,
)
from ansinh.review.access import access_review_item
from ansinh.review.services import review_item_close
from ansinh.web import forms, pages

HTMX_HEADER = "HX-Request"


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def is_htmx(request) -> bool:
    return request.headers.get(HTMX_HEADER) == "true"


# --- home -----------------------------------------------------------------------------------
@login_required
def home(request):
    return render(request, "web/home.html", pages.dashboard(request.user))


# --- persons --------------------------------------------------------------------------------
@login_required
def person_search_view(request):
    form = forms.SearchForm(request.GET or None)
    query = ""
    results = None
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            results = list(person_search(user=request.user, query=query, limit=50))
    context = {"form": form, "query": query, "results": results}
    if is_htmx(request):
        return render(request, "web/_person_results.html", context)
    return render(request, "web/person_search.html", context)


@login_required
def person_detail(request, person_id):
    person = access_person(request.user, person_id)
    context = pages.person_page(person)
    context["can_prepare"] = can_prepare(request.user)
    # access_person has already refused a person outside the user's area.
    context["can_write"] = can_write(request.user)
    return render(request, "web/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create_view(request):
    """Register a person. Without a personal ID, someone who is probably already registered in
    the commune (person_create's likely-duplicate check) is not written: the page lists them with
    links, and only "Vẫn đăng ký người mới" registers the person anyway."""
    scope = AreaScope.for_user(request.user)
    form = forms.PersonForm(request.POST or None)
    form.limit_to_scope(scope)
    likely = []  # people probably the same as the one typed: warned, nothing written
    existing = None  # the person already holding the typed personal ID, if the user may see them
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_create(
                actor=request.user,
                check_likely_duplicates=True,
                not_duplicates_of=form.confirmed_not_duplicates("confirm_new" in request.POST),
                full_name=data["full_name"],
                personal_id=data["personal_id"] or None,
                birth_date=data["birth_date"],
                sex=data["sex"],
                ethnicity=data["ethnicity"] or "Kinh",
                commune=data["commune"],
                village=data["village"],
                address=data["address"],
                phone=data["phone"],
                bank_account=data["bank_account"],
                bank_name=data["bank_name"],
            )
        except LikelyDuplicate as warning:
            likely = warning.matches
        except DomainError as error:
            typed_id = data["personal_id"]  # add_domain_error takes it out of cleaned_data
            forms.add_domain_error(form, error)
            if "personal_id" in form.errors:
                existing = person_with_personal_id(user=request.user, personal_id=typed_id)
        else:
            messages.success(request, f"Đã đăng ký đối tượng {person.full_name}.")
            return redirect("web:person_detail", person_id=person.pk)
    context = {
        "form": form,
        "can_write": can_write(request.user),
        "likely": likely,
        "likely_ids": ",".join(str(p.pk) for p in likely),
        "existing": existing,
    }
    return render(request, "web/person_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit_view(request, person_id):
    """Correct a person's details (person_update: it checks every value and audits before/after).
    Outside the user's area: 404 (access_person); the auditor: 403, link hidden."""
    person = access_person(request.user, person_id)
    if not can_write(request.user):
        raise PermissionDenied(READ_ONLY_MESSAGE)
    form = forms.PersonEditForm(request.POST or None, person=person)
    person_url = reverse("web:person_detail", kwargs={"person_id": person.pk})
    if request.method == "POST":

        def update(data):
            changes = form.changes()
            if not changes:
                return None
            moved_on = data["moved_on"] if "village" in changes else None
            return person_update(actor=request.user, person=person, moved_on=moved_on, **changes)

        done = forms.form_submit(
            request,
            form,
            update,
            success=lambda updated: (
                "Không có thông tin nào thay đổi."
                if updated is None
                else f"Đã cập nhật thông tin đối tượng {updated.full_name}."
            ),
            redirect_to=person_url,
        )
        if done:
            return done
    return render(request, "web/person_edit.html", {"form": form, "person": person})


# --- households -----------------------------------------------------------------------------
@login_required
def household_list(request):
    scope = AreaScope.for_user(request.user)
    households = pages.households_for_scope(scope)
    return render(
        request, "web/household_list.html", {"households": households, "can_write": can_write(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_create_view(request):
    scope = AreaScope.for_user(request.user)
    form = forms.HouseholdForm(request.POST or None)
    form.limit_to_scope(scope)

    def create(data):
        head = None
        if data["head_personal_id"].strip() or data["head_record_number"].strip():
            # By personal ID, or by record number for a head registered without one.
            head = person_pick(
                user=request.user,
                personal_id=data["head_personal_id"],
                record_number=data["head_record_number"],
                field="head_personal_id",
                record_field="head_record_number",
            )
        return household_create(
            actor=request.user,
            commune=data["commune"],
            village=data["village"],
            address=data["address"],
            head=head,
        )

    if request.method == "POST":
        done = forms.form_submit(
            request,
            form,
            create,
            success="Đã tạo hộ gia đình. Thêm các thành viên và tình trạng nghèo bên dưới.",
            redirect_to=lambda household: _household_url(household),
        )
        if done:
            return done
    return render(request, "web/household_form.html", {"form": form})


def _household_url(household) -> str:
    return reverse("web:household_detail", kwargs={"household_id": household.pk})


def _household_page(request, household, *, member_form=None, poverty_form=None, status=200):
    context = pages.household_page(household)
    context.update(
        # Imported and demo households often have the village and commune in `address` already.
        address=address_line(
            household.address,
            household.village.name if household.village else "",
            household.commune.name,
        ),
        member_form=member_form or forms.MemberForm(),
        poverty_form=poverty_form or forms.PovertyForm(),
        can_write=can_write(request.user),
    )
    return render(request, "web/household_detail.html", context, status=status)


@login_required
def household_detail(request, household_id):
    household = access_household(request.user, household_id)
    return _household_page(request, household)


@login_required
@require_POST
def household_member_add(request, household_id):
    household = access_household(request.user, household_id)
    form = forms.MemberForm(request.POST)

    def add(data):
        # By personal ID, or by record number for someone registered without one (F10).
        person = person_pick(
            user=request.user, personal_id=data["personal_id"], record_number=data["record_number"]
        )
        household_add_member(
            actor=request.user,
            household=household,
            person=person,
            relationship=data["relationship"],
            valid_from=data["valid_from"],
        )
        return person

    done = forms.form_submit(
        request,
        form,
        add,
        success=lambda person: f"Đã thêm {person.full_name} vào hộ.",
        redirect_to=_household_url(household),
    )
    return done or _household_page(request, household, member_form=form, status=400)


@login_required
@require_POST
def household_poverty_set(request, household_id):
    household = access_household(request.user, household_id)
    form = forms.PovertyForm(request.POST)
    done = forms.form_submit(
        request,
        form,
        # PovertyForm's fields are household_set_poverty's arguments.
        lambda data: household_set_poverty(actor=request.user, household=household, **data),
        success=lambda _: f"Đã ghi tình trạng nghèo năm {form.cleaned_data['year']}.",
        redirect_to=_household_url(household),
    )
    return done or _household_page(request, household, poverty_form=form, status=400)


# --- decisions ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def decision_create_view(request, person_id):
    """Prepare a draft decision. A grant or an adjustment takes its coefficient, category and
    legal basis from the law: the facts below (prefilled from the registry) are assessed for the
    decision's month (ansinh.assessment.services); no typed coefficient is read. Opened from a
    review item (?ra_soat=ID), the form is prefilled from it and the item is closed with the draft."""
    person = access_person(request.user, person_id)
    if not can_prepare(request.user):
        # The chairman signs, the auditor reads: neither is shown a form they cannot submit
        # (decision_prepare would refuse it anyway). A POST is refused the same way, unread.
        return render(
            request,
            "web/decision_form.html",
            {"person": person, "can_prepare": False, "can_sign": can_sign(request.user)},
            status=200 if request.method == "GET" else 403,
        )
    item = None
    item_id = request.GET.get("ra_soat") or request.POST.get("review_item")
    if item_id:
        item = access_review_item(request.user, item_id)
        if item.person_id != person.pk:
            raise Http404("Trường hợp rà soát không thuộc đối tượng này.")
    initial = {}
    if item is not None:
        initial = {
            "kind": item.action,
            "benefit": item.benefit,
            "event_date": item.event_date,
            "reason": f"Rà soát tháng {format_month(item.month)}: {item.get_reason_display()}.",
        }
    form = forms.DecisionPrepareForm(request.POST or None, initial=initial)
    for name in ("category", "coefficient"):  # from the law, never typed
        form.fields.pop(name)
    facts_initial = (
        None if request.method == "POST" else FactsForm.initial_from(registry_facts(person, current_month()))
    )
    facts_form = FactsForm(request.POST or None, prefix="facts", with_month=False, initial=facts_initial)
    results = None
    preview_month = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from_law = data["kind"] in FROM_LAW_KINDS
        if not from_law or facts_form.is_valid():
            facts = facts_form.facts() if from_law else {}
            try:
                if "preview" in request.POST:
                    preview_month = decision_month(kind=data["kind"], event_date=data["event_date"])
                    results = assessment_run(facts=facts, month=preview_month)
                else:
                    with transaction.atomic():
                        decision = decision_prepare_from_assessment(
                            actor=request.user,
                            person=person,
                            kind=data["kind"],
                            benefit=data["benefit"],
                            facts=facts,
                            event_date=data["event_date"],
                            target_commune=data["target_commune"],
                            reason=data["reason"],
                        )
                        if item is not None:
                            review_item_close(actor=request.user, item=item, decision=decision)
                    messages.success(request, "Đã lập dự thảo quyết định. Chủ tịch UBND xã xem và ký.")
                    return redirect("web:decision_detail", decision_id=decision.pk)
            except DomainError as error:
                facts_fields = {
                    k: v for k, v in error.fields.items() if k.startswith(("person.", "household."))
                }
                if facts_fields:
                    add_facts_error(facts_form, DomainError(error.message, fields=facts_fields))
                others = {k: v for k, v in error.fields.items() if k not in facts_fields}
                if others or not error.fields:
                    forms.add_domain_error(form, DomainError(error.message, fields=others))
    context = {
        "form": form,
        "facts_form": facts_form,
        "person": person,
        "item": item,
        "results": results,
        "preview_month": preview_month,
        "can_prepare": True,
    }
    return render(request, "web/decision_form.html", context)


def _decision_page(request, decision, *, sign_form=None, status=200):
    user = request.user
    show_sign = (
        decision.status == DecisionStatus.DRAFT and can_sign(user) and decision.prepared_by_id != user.pk
    )
    context = {
        "decision": decision,
        "sign_form": sign_form or forms.DecisionSignForm(initial={"signer_name": user.get_full_name()}),
        "show_sign": show_sign,
    }
    return render(request, "web/decision_detail.html", context, status=status)


@login_required
def decision_detail(request, decision_id):
    return _decision_page(request, access_decision(request.user, decision_id))


@login_required
@require_POST
def decision_sign_view(request, decision_id):
    decision = access_decision(request.user, decision_id)
    form = forms.DecisionSignForm(request.POST)
    done = forms.form_submit(
        request,
        form,
        # DecisionSignForm's fields are decision_sign's arguments.
        lambda data: decision_sign(actor=request.user, decision=decision, today=timezone.localdate(), **data),
        success=lambda signed: f"Đã ký quyết định số {signed.number}.",
        redirect_to=reverse("web:decision_detail", kwargs={"decision_id": decision.pk}),
    )
    if done:
        return done
    decision.refresh_from_db()
    return _decision_page(request, decision, sign_form=form, status=400)


# --- payroll --------------------------------------------------------------------------------
def _payroll_list_page(request, form, status=200, area_error=""):
    from ansinh.payments.followups import province_reader
    from ansinh.payments.listing import payroll_listing

    scope = AreaScope.for_user(request.user)
    # One month at a time (the latest by default), a page at a time: the area's scoping as before.
    listing = payroll_listing(
        scope, month_text=request.GET.get("thang", ""), page_text=request.GET.get("trang", "")
    )
    context = {
        "form": form,
        "listing": listing,
        "runs": listing.runs,
        "can_prepare": can_prepare(request.user),
        "area_error": area_error,
        # An auditor of a province or the country reads the province-wide page (no forms there).
        "province_reader": province_reader(request.user),
    }
    # A provincial (or national) officer can build the whole area's payroll as a background job.
    if can_prepare(request.user) and scope.level in ("province", "country"):
        context["area_run"] = {
            "code": scope.area_code,
            "name": "toàn tỉnh" if scope.level == "province" else "cả nước",
            "month": request.POST.get("month", "") if area_error else "",
        }
    return render(request, "web/payroll_list.html", context, status=status)


@login_required
def payroll_list(request):
    scope = AreaScope.for_user(request.user)
    form = forms.PayrollRunForm()
    form.limit_to_scope(scope)
    return _payroll_list_page(request, form)


@login_required
@require_POST
def payroll_run_view(request):
    if "area" in request.POST:
        return _payroll_area_run(request)
    scope = AreaScope.for_user(request.user)
    form = forms.PayrollRunForm(request.POST)
    form.limit_to_scope(scope)

    if form.is_valid():
        from ansinh.payments.listing import frozen_run_message

        commune = form.cleaned_data["commune"]
        try:
            month = parse_month(form.cleaned_data["month"], field="month")
            summary = payroll_run(month=month, area_code=commune.code, actor=request.user)
        except DomainError as error:
            forms.add_domain_error(form, error, {"area": "commune"})
        else:
            result = summary.communes[0]
            if result.frozen:
                # No longer a draft: payroll_run skipped it and nothing changed.
                messages.warning(request, frozen_run_message(summary.month, commune.name, result.status))
            else:
                aggregates_refresh_later(actor=request.user, month=month, area_code=commune.code)
                messages.success(
                    request,
                    f"Đã lập danh sách chi trả tháng {format_month(summary.month)} cho {commune.name}.",
                )
            return redirect(reverse("web:payroll_detail", kwargs={"payroll_id": result.run_id}))
    return _payroll_list_page(request, form, status=400)


def _payroll_area_run(request):
    """A province's or the country's payroll: checked now, built by a background job whose page
    shows the progress (ansinh.payments.tasks); a commune's runs in the request as before."""
    area = request.POST.get("area", "").strip()
    check_area(request.user, area)  # outside the user's area: 404, like an unknown one
    try:
        month, area = payroll_validate(
            month=request.POST.get("month", ""), area_code=area, actor=request.user
        )
    except DomainError as error:
        form = forms.PayrollRunForm()
        form.limit_to_scope(AreaScope.for_user(request.user))
        return _payroll_list_page(request, form, status=400, area_error=error.message)
    job = job_enqueue(
        "payments.payroll_run",
        actor=request.user,
        area_code=area,
        kwargs={"month": f"{month:%Y-%m}", "area_code": area},
        label=f"Lập danh sách chi trả tháng {format_month(month)} ({area or 'cả nước'})",
    )
    return redirect(reverse("jobs:detail", args=[job.id]))


@login_required
def payroll_detail(request, payroll_id):
    run = access_payroll(request.user, payroll_id)
    return render(request, "web/payroll_detail.html", pages.payroll_page(run))
