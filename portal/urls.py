from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal import feeds, views
from portal.accounts import urls as account_urls
from portal.neighbourhoods import urls as neighbourhood_urls
from portal.search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("brand.css", views.brand_css, name="brand_css"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("api/neighbourhoods/", include(neighbourhood_urls)),
    path("api/", include("assets_map.api_urls")),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("account/", include(account_urls)),
    path("search/", search_views.search, name="search"),
    path("alerts/", include("portal.alerts.urls")),
    path("feeds/all.atom", feeds.all_feed, name="feed_all"),
    path("feeds/neighbourhoods/<slug:slug>.atom", feeds.neighbourhood_feed,
         name="feed_neighbourhood"),
    path("", include("surveys.urls")),
    path("", include("forums.urls")),
    path("", include("assets_map.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
