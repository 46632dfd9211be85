from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The staff tooling: the admin, its scoping, import and export, and the demo."""

    name = "staff"
    verbose_name = _("Personal")


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with the project's own admin site as its default site."""

    default = False
    default_site = "staff.sites.StaffAdminSite"
