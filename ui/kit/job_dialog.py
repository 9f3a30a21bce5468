"""The job dialog: a dialog whose long work runs as :class:`ui.kit.jobs.Job` s.

Closing it (取消, Esc, its close box) while a job runs asks the job to stop instead: the
dialog must outlive its job, whose result comes back to it. Every dialog that starts jobs
(import, export, report, restore, the first-run wizard) is one of these.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from ui.kit.jobs import Job


class JobDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job: Job | None = None

    @property
    def busy(self) -> bool:
        """A job of this dialog is running."""
        return self.job is not None and self.job.running

    def start(self, job: Job) -> Job:
        """Run ``job`` as this dialog's current job."""
        self.job = job
        return job.run()

    def reject(self) -> None:
        """Closing while a job runs asks the job to stop instead (its window must outlive it)."""
        if self.job is not None and self.job.running:
            self.job.cancel()
            return
        super().reject()
