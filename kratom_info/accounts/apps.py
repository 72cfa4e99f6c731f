from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kratom_info.accounts"
    verbose_name = "Sign-in"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from axes.signals import user_locked_out

        from kratom_info.accounts.lockout import on_user_locked_out

        user_locked_out.connect(on_user_locked_out, dispatch_uid="kratom_info.lockout_notify")
