"""Un-namespaced UI urls Django's settings and views refer to by bare name: login, logout, home, set_language."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import shell

urlpatterns = [
    path("", shell.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
]
