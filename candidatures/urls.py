app_name = "candidatures"

urlpatterns = []
