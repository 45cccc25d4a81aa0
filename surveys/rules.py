"""Who may do what with surveys, defined once; everything else asks
`user.has_perm("surveys.<action>", survey)`.

| permission | who |
| --- | --- |
| `view_results` | officers, councillors (results page, summary CSV, reading comments) |
| `export_responses` | officers (responses CSV and XLSX, with map points) |
| `export_equality` | nobody by group: named people given the permission, and superusers |
| `enter_responses` | officers (paper, forum and phone responses) |
| `print_paper_form` | whoever may enter responses |
| `code_comments` | officers (themes and safeguarding flags on comments) |
| `edit_skip_conditions` | whoever may edit the survey page in Wagtail (Skip conditions screen) |
| `answer_survey` | anyone while the survey is open; only signed-in people if it requires it |
| `view_public_results` | anyone, once the results are published |
| `view_own_answers` | the signed-in person who gave the response (reference look-up) |
| `start_from_template` | whoever Wagtail lets add pages under the survey index page |
| `add_bank_question` | whoever Wagtail lets edit the survey page |

Five of these are also Django model permissions (`Response.Meta.permissions`), which migration
0002 grants to the Officers and Councillors groups and which Wagtail's group editor shows. The
rules say the same here; Django's ModelBackend still answers too, so a permission given to one
person works (that is how `export_equality` is given to an equality lead).

Django passes an active superuser through every `has_perm` before asking any rule, so the
answering and public results views check the survey's state (`status()`, `results_published`)
themselves too: a closed survey or unpublished results stay so for superusers.
"""

import rules

from portal.roles import is_officer, is_signed_in, is_staff_role, is_superuser


@rules.predicate
def survey_is_open(user, survey) -> bool:
    return survey is not None and survey.status() == "open"


@rules.predicate
def survey_open_to_everyone(user, survey) -> bool:
    """The survey does not require signing in: people may answer without an account."""
    return survey is not None and not survey.require_sign_in


@rules.predicate
def survey_results_published(user, survey) -> bool:
    return survey is not None and survey.results_published


@rules.predicate
def gave_response(user, response) -> bool:
    """The signed-in person whose response it is (the reference look-up shows them their
    answers; the view compares the account too, as superusers pass every has_perm)."""
    return (response is not None and user.is_authenticated
            and response.user_id is not None and response.user_id == user.pk)


@rules.predicate
def may_enter_responses(user) -> bool:
    """Asks the permission itself, so a person given it directly may print the form too."""
    return user.has_perm("surveys.enter_responses")


@rules.predicate
def may_edit_page(user, survey) -> bool:
    """Wagtail's page permissions say who may edit this survey's questions."""
    return (survey is not None and user.is_authenticated
            and survey.permissions_for_user(user).can_edit())


@rules.predicate
def may_add_survey_under(user, parent) -> bool:
    """Wagtail's page permissions: may create pages under this survey index page."""
    return (parent is not None and user.is_authenticated
            and parent.permissions_for_user(user).can_add_subpage())


handles_responses = is_officer | is_superuser

rules.add_perm("surveys.view_results", is_staff_role)
rules.add_perm("surveys.export_responses", handles_responses)
rules.add_perm("surveys.export_equality", is_superuser)
rules.add_perm("surveys.enter_responses", handles_responses)
rules.add_perm("surveys.print_paper_form", may_enter_responses)
rules.add_perm("surveys.code_comments", handles_responses)
rules.add_perm("surveys.answer_survey",
               survey_is_open & (survey_open_to_everyone | is_signed_in))
rules.add_perm("surveys.view_public_results", survey_results_published)
rules.add_perm("surveys.view_own_answers", gave_response)
rules.add_perm("surveys.start_from_template", may_add_survey_under)
rules.add_perm("surveys.add_bank_question", may_edit_page)
rules.add_perm("surveys.edit_skip_conditions", may_edit_page)
