from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "portal.themes"
    label = "themes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from modelsearch import index

        from portal.request_memo import forget

        from .models import Theme
        from .tasks import index_theme

        def forget_names(**kwargs):
            forget()  # theme names remembered for this request are out of date

        def index_saved(instance, raw=False, **kwargs):
            if not raw:
                index_theme.enqueue(instance.pk)

        def unindex_deleted(instance, **kwargs):
            index.remove_object(instance)

        post_save.connect(index_saved, sender=Theme, weak=False,
                          dispatch_uid="themes.index_saved")
        post_delete.connect(unindex_deleted, sender=Theme, weak=False,
                            dispatch_uid="themes.unindex_deleted")

        post_save.connect(forget_names, sender=Theme, weak=False,
                          dispatch_uid="themes.forget_names_saved")
        post_delete.connect(forget_names, sender=Theme, weak=False,
                            dispatch_uid="themes.forget_names_deleted")
