from django.contrib import admin

from .models import Answer, Question, Response, Section, Survey, SurveyVersion


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
