from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, ActivityType


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_en"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "date", "commitment", "type", "occasions", "status"]
    list_filter = ["status", "type", "commitment__promise"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "date"
    autocomplete_fields = ["commitment", "type"]
    filter_horizontal = ["organisations"]
    readonly_fields = ["created_by", "created_at", "updated_by", "updated_at"]
    fields = [
        "commitment",
        ("date", "end_date"),
        "title",
        "description",
        "type",
        "organisations",
        "place",
        ("occasions", "people_reached"),
        "internal_note",
        "status",
        "is_example",
        ("created_by", "created_at"),
        ("updated_by", "updated_at"),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
