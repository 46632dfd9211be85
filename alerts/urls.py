from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("skickat/", views.subscribe_sent, name="subscribe-sent"),
    path("bekrafta/<str:code>/", views.confirm, name="confirm"),
    path("avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("om/", views.about, name="about"),
]
