"""The console is the Django admin (staffconsole.admin_site), mounted at the site root."""
from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("", admin.site.urls),
]
