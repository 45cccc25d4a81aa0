"""Photo galleries, requests to join an organisation, edits previewed before they are sent."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assets_map', '0002_categories_and_permissions'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='assets_map.organisation'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='subject_user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='submission',
            name='status',
            field=models.CharField(choices=[('draft', 'Not sent yet'), ('pending', 'Waiting'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('withdrawn', 'Replaced')], default='pending', max_length=10),
        ),
        migrations.CreateModel(
            name='AssetPhoto',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('alt_text', models.CharField(blank=True, max_length=250, verbose_name='description for people who cannot see it')),
                ('decorative', models.BooleanField(default=False, verbose_name='decorative only')),
                ('caption', models.CharField(blank=True, max_length=300, verbose_name='caption')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('asset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='assets_map.asset')),
                ('image', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailimages.image', verbose_name='image')),
            ],
            options={
                'verbose_name': 'asset photo',
                'verbose_name_plural': 'asset photos',
                'ordering': ['sort_order', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('decorative', True), models.Q(('alt_text', ''), _negated=True), _connector='OR'), name='photo_alt_text_unless_decorative')],
            },
        ),
        migrations.CreateModel(
            name='JoinRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message', models.TextField(blank=True, max_length=1000, verbose_name='message')),
                ('status', models.CharField(choices=[('pending', 'Waiting for an answer'), ('approved', 'Approved'), ('declined', 'Declined')], default='pending', max_length=10, verbose_name='status')),
                ('role', models.CharField(blank=True, choices=[('owner', 'Owner'), ('editor', 'Editor')], max_length=10, verbose_name='role given')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='join_requests', to='assets_map.organisation')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='organisation_join_requests', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'request to join an organisation',
                'verbose_name_plural': 'requests to join an organisation',
                'ordering': ['created_at', 'id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('organisation', 'user'), name='one_pending_join_request')],
            },
        ),
    ]
