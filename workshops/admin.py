from django.contrib import admin

from .models import AgendaItem, Document, Workshop


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["title", "original_name", "content_type", "size", "for_documentation"]
    readonly_fields = ["original_name", "content_type", "size"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "kind", "start", "venue_name", "documentation_published"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "topic"]
    date_hierarchy = "start"
    # Status, date and place changes have consequences (mails): they go through the pages.
    readonly_fields = ["status", "uid", "sequence", "created_by", "created_at", "updated_at"]
    inlines = [AgendaItemInline, DocumentInline]
