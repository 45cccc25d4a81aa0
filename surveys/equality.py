"""Equality-monitoring questions with the ONS Census 2021 (England) categories.

Codes are stable identities (they key the Option rows); labels may be reworded or translated.
Every question is optional and offers "Prefer not to say". Short answers such as "Yes" and
"No" carry a context (pgettext): Welsh answers a question with the verb it asks (Ydy, Oes...),
so each question's "Yes" and "No" may translate differently.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PREFER_NOT = ("prefer_not", _("Prefer not to say"))

EQUALITY_QUESTIONS = [
    ("age", _("What is your age?"), [
        ("under_16", _("Under 16")), ("16_24", _("16 to 24")), ("25_34", _("25 to 34")),
        ("35_44", _("35 to 44")), ("45_54", _("45 to 54")), ("55_64", _("55 to 64")),
        ("65_74", _("65 to 74")), ("75_plus", _("75 or over")),
    ]),
    ("sex", _("What is your sex?"), [("female", _("Female")), ("male", _("Male"))]),
    ("gender_identity", _("Is the gender you identify with the same as your sex registered at "
                          "birth?"), [
        ("yes", pgettext_lazy("gender identity same as sex at birth", "Yes")),
        ("no", pgettext_lazy("gender identity same as sex at birth", "No")),
    ]),
    ("ethnicity", _("What is your ethnic group?"), [
        ("asian_bangladeshi", _("Asian or Asian British: Bangladeshi")),
        ("asian_chinese", _("Asian or Asian British: Chinese")),
        ("asian_indian", _("Asian or Asian British: Indian")),
        ("asian_pakistani", _("Asian or Asian British: Pakistani")),
        ("asian_other", _("Asian or Asian British: any other Asian background")),
        ("black_african", _("Black, Black British, Caribbean or African: African")),
        ("black_caribbean", _("Black, Black British, Caribbean or African: Caribbean")),
        ("black_other", _("Black, Black British, Caribbean or African: any other Black, Black "
                          "British or Caribbean background")),
        ("mixed_white_asian", _("Mixed or multiple ethnic groups: White and Asian")),
        ("mixed_white_black_african", _("Mixed or multiple ethnic groups: White and Black "
                                        "African")),
        ("mixed_white_black_caribbean", _("Mixed or multiple ethnic groups: White and Black "
                                          "Caribbean")),
        ("mixed_other", _("Mixed or multiple ethnic groups: any other Mixed or multiple ethnic "
                          "background")),
        ("white_british", _("White: English, Welsh, Scottish, Northern Irish or British")),
        ("white_irish", _("White: Irish")),
        ("white_gypsy_traveller", _("White: Gypsy or Irish Traveller")),
        ("white_roma", _("White: Roma")),
        ("white_other", _("White: any other White background")),
        ("other_arab", _("Other ethnic group: Arab")),
        ("other_any", _("Other ethnic group: any other ethnic group")),
    ]),
    ("disability", _("Are your day-to-day activities limited because of a health problem or "
                     "disability which has lasted, or is expected to last, at least 12 months?"), [
        ("yes_lot", _("Yes, limited a lot")), ("yes_little", _("Yes, limited a little")),
        ("no", pgettext_lazy("day-to-day activities limited by disability", "No")),
    ]),
    ("carer", _("Do you look after, or give any help or support to, anyone because they have "
                "long-term physical or mental health conditions or illnesses, or problems "
                "related to old age?"), [
        ("no", pgettext_lazy("looks after someone (carer)", "No")),
        ("yes_0_9", _("Yes, 9 hours a week or less")),
        ("yes_10_19", _("Yes, 10 to 19 hours a week")),
        ("yes_20_34", _("Yes, 20 to 34 hours a week")),
        ("yes_35_49", _("Yes, 35 to 49 hours a week")),
        ("yes_50_plus", _("Yes, 50 or more hours a week")),
    ]),
    ("religion", _("What is your religion?"), [
        ("none", _("No religion")), ("christian", _("Christian")), ("buddhist", _("Buddhist")),
        ("hindu", _("Hindu")), ("jewish", _("Jewish")), ("muslim", _("Muslim")),
        ("sikh", _("Sikh")), ("other", _("Any other religion")),
    ]),
    ("sexual_orientation", _("Which of the following best describes your sexual orientation?"), [
        ("straight", _("Straight or heterosexual")), ("gay_lesbian", _("Gay or lesbian")),
        ("bisexual", _("Bisexual")), ("other", _("Other sexual orientation")),
    ]),
]


def equality_questions():
    """(code, question, [(option code, label), ...]) with "Prefer not to say" last."""
    return [(code, label, [*options, PREFER_NOT]) for code, label, options in EQUALITY_QUESTIONS]
