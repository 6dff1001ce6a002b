"""The home page's data over the API: `GET /api/v1/home/` answers, for the caller, the same
sections the page shows (a coordinator's or a member's)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.response import Response

from participation.api.views import AUTHENTICATION

from .sections import Role, role_of, sections_for


class HomeCountSerializer(serializers.Serializer):
    label = serializers.CharField()
    number = serializers.IntegerField()
    url = serializers.CharField(help_text="The page listing exactly the records counted.")
    severity = serializers.ChoiceField(choices=["info", "success", "warning", "danger"])


class HomeItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    detail = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    date = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField()
    severity = serializers.ChoiceField(choices=["info", "success", "warning", "danger"])
    counts = HomeCountSerializer(many=True)
    names = serializers.ListField(child=serializers.CharField())


class HomeSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    heading = serializers.CharField()
    order = serializers.IntegerField()
    items = HomeItemSerializer(many=True)
    counts = HomeCountSerializer(many=True)
    empty_text = serializers.CharField()


class HomeSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    sections = HomeSectionSerializer(many=True)


@extend_schema(tags=["home"], responses=HomeSerializer)
@api_view(["GET"])
@authentication_classes(AUTHENTICATION)
def home(request):
    """What is waiting for the caller, as on the home page: for coordinators the open
    surveys, the coming workshops and meetings, open and overdue tasks, failed mail and the
    registry; for members what their organisations still have to answer, their tasks, their
    next meetings and the invitations waiting for their reply."""
    data = {"role": role_of(request.user), "sections": sections_for(request.user)}
    return Response(HomeSerializer(data).data)
