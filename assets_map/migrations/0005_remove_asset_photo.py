from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("assets_map", "0004_photo_to_gallery")]

    operations = [migrations.RemoveField(model_name="asset", name="photo")]
