app_name = "binomes"

urlpatterns = []
