from django.contrib import admin

from .models import Answer, Question, Response, Section, Survey, SurveyReminder, SurveyVersion


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "deadline"]
    list_filter = ["status"]
    filter_horizontal = ["audience"]


@admin.register(SurveyVersion)
class SurveyVersionAdmin(admin.ModelAdmin):
    list_display = ["survey", "number", "published_at"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "position"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "text", "kind", "required", "section"]
    list_filter = ["kind"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "organisation", "status", "last_activity_at"]
    list_filter = ["status", "survey"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["response", "question", "revision", "updated_by", "updated_at"]


@admin.register(SurveyReminder)
class SurveyReminderAdmin(admin.ModelAdmin):
    """A log of reminders sent: read-only, since each row stands for a mail that went out
    (and keeps the same reminder from going out twice on a day)."""

    list_display = ["sent_on", "survey", "organisation", "person", "kind", "requested_by", "mail"]
    list_filter = ["kind", "survey"]
    list_select_related = ["survey", "organisation", "person", "requested_by", "mail"]
    date_hierarchy = "sent_on"
    search_fields = ["organisation__name", "person__last_name", "person__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
