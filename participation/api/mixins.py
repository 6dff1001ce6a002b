"""What the apps' viewsets share."""


class ServiceSaveMixin:
    """Create and update through the app's save service, with the caller as actor: the
    serializer only validates, the service checks the rules, saves and leaves the audit
    entry. The answer shows the record as the viewset's queryset reads it again."""

    # save_service(record, *, actor), set with staticmethod() so it is not bound.
    save_service = None

    def perform_create(self, serializer):
        record = serializer.Meta.model(**serializer.validated_data)
        self.save_service(record, actor=self.request.user)
        serializer.instance = self.get_queryset().get(pk=record.pk)

    def perform_update(self, serializer):
        record = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(record, name, value)
        self.save_service(record, actor=self.request.user)
        serializer.instance = self.get_queryset().get(pk=record.pk)
