app_name = "suivi"

urlpatterns = []
