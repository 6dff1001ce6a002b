from django.db import migrations, models


def carry_over_flag(apps, schema_editor):
    # No publication date was kept with the flag; the last change is the closest there is.
    Survey = apps.get_model("surveys", "Survey")
    Survey.objects.filter(results_published=True).update(
        results_published_at=models.F("updated_at")
    )


def back_to_flag(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Survey.objects.filter(results_published_at__isnull=False).update(results_published=True)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_survey_reminder"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="results_published_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "Once the survey is closed: the organisations that submitted their "
                    "response see everyone's submitted answers."
                ),
                null=True,
                verbose_name="results published to participants",
            ),
        ),
        migrations.RunPython(carry_over_flag, back_to_flag),
        migrations.RemoveField(
            model_name="survey",
            name="results_published",
        ),
    ]
