"""manage.py doctor: what is wrong with this installation (ops.doctor), exit status 1 if anything."""

from django.core.management.base import BaseCommand, CommandError

from ops.doctor import diagnose


class Command(BaseCommand):
    help = "Say in plain words what is wrong with this installation; exit non-zero if anything is."

    def handle(self, *args, **options) -> None:
        findings = diagnose()
        for finding in findings:
            mark = self.style.SUCCESS("ok     ") if finding.ok else self.style.ERROR("PROBLEM")
            self.stdout.write(f"{mark} {finding.text}")
        problems = sum(not finding.ok for finding in findings)
        if problems:
            raise CommandError(f"{problems} problems found.", returncode=1)
        self.stdout.write("Nothing wrong found.")
