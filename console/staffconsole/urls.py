"""The console is the Django admin, mounted at the site root."""
from django.contrib import admin
from django.urls import path

admin.site.site_header = "Staff console"
admin.site.site_title = "Staff console"
admin.site.index_title = "Conversations and hand-off requests"
admin.site.site_url = None  # no public site behind the console

urlpatterns = [
    path("", admin.site.urls),
]
