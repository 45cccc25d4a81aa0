from django.db import migrations

WAGTAIL_WELCOME_PATH = "00010001"


def create_homepage(apps, schema_editor):
    """Replace Wagtail's placeholder welcome page with the portal's home page."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("pages", "HomePage")

    placeholder = Page.objects.filter(
        path=WAGTAIL_WELCOME_PATH, content_type__app_label="wagtailcore", content_type__model="page"
    )
    if not placeholder.exists() and Page.objects.filter(depth=2).exists():
        return  # an existing site: leave its pages alone
    placeholder.delete()
    content_type, _ = ContentType.objects.get_or_create(app_label="pages", model="homepage")
    locale = Locale.objects.order_by("pk").first()
    homepage = HomePage.objects.create(
        title="Home", draft_title="Home", slug="home", content_type=content_type,
        path=WAGTAIL_WELCOME_PATH, depth=2, numchild=0, url_path="/home/", locale=locale,
        live=True,
        introduction="Find your neighbourhood, have your say and see what is being done.",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=homepage, is_default_site=True,
                        site_name="Neighbourhood portal")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
