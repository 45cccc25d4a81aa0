"""Background work (django-tasks): rendering plan and highlight-report PDFs off the request."""

from django_tasks import task

from .models import PlanPdf
from .pdfs import render_pdf_row


@task()
def render_plan_pdf(pdf_id: int) -> str:
    """Render the queued `PlanPdf` and store its file; returns its status."""
    row = PlanPdf.objects.filter(pk=pdf_id).select_related("page").first()
    if row is None or row.status != PlanPdf.QUEUED:
        return row.status if row else "missing"
    return render_pdf_row(row).status
