"""ModelAdmin mixins that write the admin's actions to the audit journal (`mentorat.journal`)."""

from . import journal


class JournaliseAdmin:
    """Every add, change and delete made through this admin's own forms (and its « delete » action) is journaled,
    beside Django's per-object history. `journal_des_formulaires = False` where a service journals the change
    itself, with its meaning (a decision, a referent changed), rather than as a generic form change."""

    journal_des_formulaires = True

    def _journaliser(self, request, obj, operation: str, message="") -> None:
        if self.journal_des_formulaires:
            details = {"operation": operation, "changements": message} if message else {"operation": operation}
            journal.consigner(journal.Action.ADMINISTRATION, par=request.user, objet=obj, details=details)

    def log_addition(self, request, obj, message):
        self._journaliser(request, obj, "ajout", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._journaliser(request, obj, "modification", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._journaliser(request, obj, "suppression")
        return super().log_deletions(request, queryset)


class ExportJournalise:
    """For django-import-export's ExportMixin: each CSV or XLSX export is journaled with its filters and size."""

    def get_export_data(self, file_format, request, queryset, **kwargs):
        donnees = super().get_export_data(file_format, request, queryset, **kwargs)
        journal.consigner(
            journal.Action.EXPORT,
            par=request.user,
            details={
                "document": str(self.model._meta.verbose_name_plural),
                "format": file_format.get_title(),
                "lignes": queryset.count(),
                "filtres": request.GET.urlencode(),
            },
        )
        return donnees


class ExportDiffere:
    """For django-import-export's ExportMixin: beyond `seuil_export_differe` rows, a `format_export_differe` file
    is produced in the background (a `suivi.Export` of type `type_export_differe`) and the page that follows it is
    shown; smaller ones are answered at once. Its download is journaled as the immediate export is."""

    format_export_differe: type | None = None
    seuil_export_differe = 0
    type_export_differe = ""

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        fmt = self.format_export_differe
        if fmt is None or not isinstance(file_format, fmt) or queryset.count() <= self.seuil_export_differe:
            return super()._do_file_export(file_format, request, queryset, export_form=export_form)
        # The background exports live in `suivi`, which this admin's app may come before: imported here.
        from django.shortcuts import redirect

        from suivi import services

        export = services.demander_export(
            promotion=None,
            par=request.user,
            type_export=self.type_export_differe,
            filtres={
                # The rows' ids in the list's order: its filters, search, selection and sorting.
                "candidatures": list(queryset.values_list("pk", flat=True)),
                "champs": self.get_export_resource_fields_from_form(export_form),
                "requete": request.GET.urlencode(),
            },
            nombre_de_binomes=0,
        )
        return redirect("suivi:export", pk=export.pk)
