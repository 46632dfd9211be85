"""Issue 8, last step: the single police area and lead party, and the per-commitment
outcome, now live in the relations and follow-ups that replaced them (0003, 0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("promises", "0004_move_to_coverage_and_follow_ups")]

    operations = [
        migrations.RemoveField(
            model_name='commitment',
            name='lead_party',
        ),
        migrations.RemoveField(
            model_name='commitment',
            name='outcome',
        ),
        migrations.RemoveField(
            model_name='commitment',
            name='outcome_note',
        ),
        migrations.RemoveField(
            model_name='commitment',
            name='outcome_note_en',
        ),
        migrations.RemoveField(
            model_name='historicalcommitment',
            name='lead_party',
        ),
        migrations.RemoveField(
            model_name='historicalcommitment',
            name='outcome',
        ),
        migrations.RemoveField(
            model_name='historicalcommitment',
            name='outcome_note',
        ),
        migrations.RemoveField(
            model_name='historicalcommitment',
            name='outcome_note_en',
        ),
        migrations.RemoveField(
            model_name='historicalpromise',
            name='police_area',
        ),
        migrations.RemoveField(
            model_name='municipality',
            name='police_area',
        ),
        migrations.RemoveField(
            model_name='promise',
            name='police_area',
        ),
    ]
