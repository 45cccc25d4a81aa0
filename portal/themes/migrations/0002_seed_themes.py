"""Seeds the themes named in the council documents the portal is built from.

The list is frozen here, as it stood when the migration was written: a migration must give the
same result whatever the code around it later becomes."""

from django.db import migrations

# (name, slug, description, colour)
THEMES = [
    (
        "Housing",
        "housing",
        "Overcrowding, condition and cost of homes; damp and mould; repairs.",
        "#1d70b8",
    ),
    (
        "Homelessness",
        "homelessness",
        "Risk of homelessness, temporary accommodation and rough sleeping.",
        "#912b88",
    ),
    (
        "Financial hardship",
        "financial-hardship",
        "Cost of living, debt, benefits advice and fuel poverty.",
        "#b58840",
    ),
    (
        "School readiness and early years",
        "school-readiness",
        "Children ready to learn at five; family hubs, childcare and early help.",
        "#00703c",
    ),
    (
        "Mental health",
        "mental-health",
        "Wellbeing, loneliness-related distress and access to support.",
        "#5694ca",
    ),
    (
        "Long-term conditions",
        "long-term-conditions",
        "Diabetes, asthma, heart disease and other conditions managed in the community.",
        "#d4351c",
    ),
    (
        "Air quality and environment",
        "air-quality",
        "Air pollution, asthma triggers, green spaces and clean streets.",
        "#28a197",
    ),
    (
        "Community safety",
        "community-safety",
        "Crime, antisocial behaviour and feeling safe.",
        "#0b0c0c",
    ),
    (
        "Social isolation",
        "social-isolation",
        "Loneliness and connection, especially for older residents.",
        "#f47738",
    ),
    (
        "Employment and skills",
        "employment-skills",
        "Jobs, training, apprenticeships and adult learning.",
        "#4c2c92",
    ),
    (
        "Physical activity and healthy weight",
        "physical-activity",
        "Being active, healthy weight and access to sport and play.",
        "#85994b",
    ),
    (
        "Food insecurity",
        "food-insecurity",
        "Food banks, affordable food and holiday hunger.",
        "#6f72af",
    ),
    (
        "Access to health services",
        "access-to-health",
        "Getting a GP appointment, pharmacy and community health services.",
        "#003078",
    ),
    (
        "Digital inclusion",
        "digital-inclusion",
        "Devices, data and skills to get online.",
        "#505a5f",
    ),
    (
        "Children and young people",
        "children-young-people",
        "Youth services, activities and support for families.",
        "#d53880",
    ),
    (
        "Substance misuse",
        "substance-misuse",
        "Alcohol and drug harm and routes to treatment.",
        "#942514",
    ),
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("themes", "Theme")
    for name, slug, description, colour in THEMES:
        Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "colour": colour}
        )


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]
    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
