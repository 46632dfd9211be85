"""Django's admin app, with the project's own admin site as its default site."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "promises.admin_site.StaffAdminSite"
